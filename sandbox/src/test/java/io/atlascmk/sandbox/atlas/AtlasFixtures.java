package io.atlascmk.sandbox.atlas;

import io.atlascmk.sandbox.SandboxClock;

import java.time.Instant;

/** Names and values the Atlas simulator tests share. */
final class AtlasFixtures {

    static final Instant T0 = Instant.parse("2025-03-01T00:00:00Z");
    static final String GROUP_ID = "65f0a1b2c3d4e5f601234567";
    static final String ROLE_ARN = "arn:aws:iam::111122223333:role/atlas-cmk";
    static final String KEY_A = "1b4c7a2e-0c1d-4a5b-9e8f-0a1b2c3d4e5f";
    static final String KEY_B = "2c5d8b3f-1d2e-4b6c-8f9a-1b2c3d4e5f60";
    static final String KEY_C = "3d6e9c4a-2e3f-4c7d-9a0b-2c3d4e5f6071";
    static final String KEY_B_ARN = "arn:aws:kms:us-east-1:111122223333:key/" + KEY_B;
    static final String CLIENT_ID = "mdb_sa_id_65f0a1b2c3d4e5f601234567";
    static final String CLIENT_SECRET = "mdb_sa_sk_sandbox-secret";
    static final String PUBLIC_KEY = "sbxpubkey";
    static final String PRIVATE_KEY = "3f8a1c2e-5b6d-4e7f-8a9b-0c1d2e3f4a5b";
    static final String API = "/api/atlas/v2/groups/" + GROUP_ID;

    private AtlasFixtures() {
    }

    static SandboxClock clock() {
        return new SandboxClock(T0);
    }

    /** The whole awsKms object, as the rotator sends it. */
    static String awsKmsBody(String key, String region, String roleId) {
        return "{\"awsKms\":{\"enabled\":true,\"customerMasterKeyID\":\"" + key + "\",\"region\":\"" + region
                + "\",\"roleId\":\"" + roleId + "\"}}";
    }
}
