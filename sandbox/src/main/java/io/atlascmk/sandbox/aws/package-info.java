/**
 * Stand-ins for AWS KMS, Secrets Manager, EventBridge and CloudTrail behind one loopback endpoint that
 * speaks the AWS JSON 1.1 protocol, so the unchanged AWS SDK v2 clients (endpoint override,
 * {@code aws.endpointUrl} or {@code AWS_ENDPOINT_URL}) talk to them.
 *
 * <p>CloudTrail ({@code X-Amz-Target: com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents})
 * keeps the event history of KMS: every call the KMS stand-in serves, successful or refused, and every
 * key use recorded from Java ({@code cloudTrail().recordKmsUse}, for the Atlas simulator, which uses keys
 * without the KMS HTTP API), as records shaped like CloudTrail's. {@code LookupEvents} answers from it as
 * CloudTrail does: per region, newest first, one lookup attribute, 1-50 results a page with a stable
 * {@code NextToken}, the last 90 days only, events visible only after a delivery delay (default 5 minutes
 * of sandbox time), and 2 requests per second per account and region on the sandbox clock (see
 * {@link io.atlascmk.sandbox.aws.CloudTrailStandIn}).
 *
 * <h2>Use</h2>
 * <pre>{@code
 * SandboxClock clock = new SandboxClock(Instant.parse("2026-03-02T09:00:00Z"));
 * try (AwsStandIn aws = new AwsStandIn(clock).start()) {
 *     URI endpoint = aws.endpoint();                                   // http://127.0.0.1:<port>
 *     KmsKeyView current = aws.kms().createKey("us-east-1", "today's key", Map.of(), policy);
 *     aws.kms().createExternalKey("us-east-1", "for imported material", Map.of());  // PendingImport
 *     aws.kms().addCloudHsmKeyStore("us-east-1", "cks-1234567890abcdef0", "atlas-hsm"); // CONNECTED
 *     aws.kms().createCloudHsmKey("us-east-1", "cks-1234567890abcdef0", "in the HSM", Map.of());
 *     aws.kms().disconnectCustomKeyStore("cks-1234567890abcdef0");   // its keys are Unavailable
 *     aws.secretsManager().createSecret("us-east-1", "atlas/credentials", "{\"clientId\":...}");
 *     aws.eventBridge().addRule("atlas-cmk", "rotation-alert", patternJson, event -> ...);
 *     aws.faults().throttleNext(AwsService.KMS, "CreateKey", 2);
 *     KeyAccess access = aws.kms();                                    // for the Atlas simulator
 *     aws.principals().register("AKIA...", "arn:aws:iam::111122223333:role/rotator");  // who signs
 *     aws.cloudTrail().recordKmsUse(atlasRoleArn, "Decrypt", keyArn, clock.instant()); // Atlas used a key
 *     aws.cloudTrail().deliveryDelay(Duration.ZERO); aws.cloudTrail().rateLimitEnabled(false);
 *     ...
 *     aws.kms().keys(); aws.kms().aliases(); aws.kms().deletedKeys();   // inspection
 *     aws.kms().grants(keyArn);                                        // CreateGrant's grants, as KmsGrantView
 *     aws.kms().rotation(keyArn); aws.kms().customKeyStores();        // automatic rotation, key stores
 *     aws.eventBridge().publishedEvents(); aws.faults().callCounts(); aws.cloudTrail().events();
 * }
 * }</pre>
 *
 * <h2>Choices where the brief or AWS left room</h2>
 * <ul>
 * <li>Model-constraint violations (lengths, ranges, missing members) are {@code ValidationException},
 *     as AWS validates requests before the service's own rules: a tag key over 128 characters or a
 *     value over 256 is {@code ValidationException}; the {@code aws:} prefix and more than 50 tags are
 *     {@code TagException}. KMS has no modeled {@code ValidationException}: the SDK raises
 *     {@code KmsException} with that error code.</li>
 * <li>Alias names: no {@code alias/} prefix is {@code ValidationException} (as AWS answers);
 *     {@code alias/aws/...} is {@code NotAuthorizedException}; an alias as {@code TargetKeyId} is
 *     {@code ValidationException}; an alias where an operation takes only a key id or key ARN
 *     (GetKeyPolicy, PutKeyPolicy, tags, ScheduleKeyDeletion, ...) is {@code NotFoundException}.</li>
 * <li>A key {@code PendingDeletion} rejects EnableKey, DisableKey, ScheduleKeyDeletion, TagResource,
 *     UntagResource, CreateAlias/UpdateAlias onto it, UpdateKeyDescription, Encrypt, Decrypt,
 *     CreateGrant, EnableKeyRotation and DisableKeyRotation with {@code KMSInvalidStateException} (KMS's
 *     key-state table); it still answers DescribeKey, GetKeyPolicy, PutKeyPolicy, ListResourceTags,
 *     ListAliases, DeleteAlias, ListGrants, RetireGrant, RevokeGrant, GetKeyRotationStatus and
 *     CancelKeyDeletion. A {@code Disabled} key rejects Encrypt, Decrypt, CreateGrant, EnableKeyRotation
 *     and DisableKeyRotation with {@code DisabledException}, as the key-state table has it.</li>
 * <li>Automatic key rotation (EnableKeyRotation, DisableKeyRotation, GetKeyRotationStatus): new keys
 *     start with it off; {@code RotationPeriodInDays} is 90-2560, and EnableKeyRotation without one
 *     sets 365 days even on a key that had another period (the API reference's default, taken
 *     literally). {@code RotationPeriodInDays} and {@code NextRotationDate} are answered only while
 *     rotation is enabled; while a key is pending deletion GetKeyRotationStatus answers {@code false}
 *     and the setting returns when the deletion is cancelled; a {@code Disabled} key keeps answering its
 *     setting. Keys with Origin {@code EXTERNAL} or {@code AWS_CLOUDHSM} get
 *     {@code UnsupportedOperationException} ({@code "<key ARN> origin is EXTERNAL which is not valid for
 *     this operation."}) from all three, before their key state is looked at. The sandbox clock rotates
 *     an {@code Enabled} key on each rotation date; a date passed while the key was not
 *     {@code Enabled} rotates it when it is enabled again, and so does a new, shorter period that has
 *     already run out: the period then counts from that moment. A rotation is recorded
 *     ({@code kms().rotation(key)}) but keeps the material, which no implemented operation can tell
 *     from KMS's new material; RotateKeyOnDemand, ListKeyRotations and CloudTrail's {@code RotateKey}
 *     service event are not modelled.</li>
 * <li>Origins: CreateKey takes {@code AWS_KMS}, {@code EXTERNAL} and {@code AWS_CLOUDHSM}; any value
 *     outside the model's {@code OriginType} enum is {@code ValidationException}, and
 *     {@code EXTERNAL_KEY_STORE} or {@code XksKeyId} is {@code UnsupportedOperationException} (the sandbox
 *     has no external key stores). An {@code EXTERNAL} key is {@code PendingImport} with no material, and
 *     stays so: the sandbox imports none (no GetParametersForImport, ImportKeyMaterial). Encrypt, Decrypt,
 *     CreateGrant, EnableKey and DisableKey refuse it with {@code KMSInvalidStateException}
 *     ({@code "<key ARN> is pending import."}); CancelKeyDeletion returns it to {@code PendingImport},
 *     not {@code Disabled}, as it has no material; DescribeKey sends no {@code ExpirationModel} for it
 *     (nothing imported, nothing to expire).</li>
 * <li>CloudHSM key stores exist only through the Java API: {@code addCloudHsmKeyStore} registers one
 *     {@code CONNECTED} (CreateCustomKeyStore would leave it {@code DISCONNECTED} until
 *     ConnectCustomKeyStore), with an id shaped as KMS's ({@code cks-} and 17 hex digits), a name unique
 *     in its region and a CloudHSM cluster id made up from the key store id ({@code cluster-} and 11 hex
 *     digits); no custom key store operation is served over HTTP. CreateKey in a key store unknown in
 *     the caller's region is {@code CustomKeyStoreNotFoundException}, in a disconnected one
 *     {@code CustomKeyStoreInvalidStateException}. {@code CustomKeyStoreId} with any Origin but
 *     {@code AWS_CLOUDHSM} (the default {@code AWS_KMS} included), Origin {@code AWS_CLOUDHSM} without
 *     {@code CustomKeyStoreId}, and {@code MultiRegion} in a key store are
 *     {@code UnsupportedOperationException}: KMS documents that these combinations are not allowed but
 *     not which error it answers, so that choice and the messages are the sandbox's. The cluster's own
 *     requirements (two active HSMs in different Availability Zones, {@code kmsuser}) are not modelled.
 *     While its key store is disconnected a key reports {@code Unavailable} (a key pending deletion
 *     stays {@code PendingDeletion}); Encrypt and Decrypt refuse it with {@code KMSInvalidStateException}
 *     ({@code "<key ARN> is unavailable."}), everything else works as for the key's own state, and
 *     EnableKey/DisableKey change the state it shows once connected again. {@code atlasRoleCanUse} says
 *     no for an {@code Unavailable} or {@code PendingImport} key.</li>
 * <li>Grants (CreateGrant, ListGrants, RetireGrant, RevokeGrant) are kept and validated as KMS does (see
 *     {@link io.atlascmk.sandbox.aws.KmsStandIn}) but authorize nothing: the stand-in checks no caller's
 *     permissions, and {@code atlasRoleCanUse} reads only the key policy. Operations a symmetric
 *     encryption key cannot do (Sign, GenerateMac, ...), an empty Operations list and a grant of only
 *     CreateGrant are {@code ValidationException}; a grantee or retiring principal that is not the ARN of
 *     an account root, IAM user or role, assumed-role or federated session is {@code InvalidArnException};
 *     a malformed grant id is {@code InvalidGrantIdException}, an unknown one {@code NotFoundException};
 *     an encryption context constraint has at most 8 pairs and 384 characters of keys and values; grant
 *     tokens are opaque to clients, and one the stand-in did not issue is {@code InvalidGrantTokenException}.
 *     {@code DryRun} on the grant operations is honoured ({@code DryRunOperationException}, HTTP 412);
 *     {@code GranteeServicePrincipal} and {@code RetiringServicePrincipal} are
 *     {@code UnsupportedOperationException}. The messages are the sandbox's own wording where AWS's is
 *     not known; the error types are KMS's.</li>
 * <li>{@code PendingDeletionWindowInDays} is in DescribeKey's metadata whenever a key is pending
 *     deletion (AWS reports it only for multi-Region primaries).</li>
 * <li>A key is deleted when the sandbox clock reaches its deletion date; it is then
 *     {@code NotFoundException} and listed by {@code deletedKeys()}.</li>
 * <li>The policy lockout safety check: unless bypassed, a policy must allow {@code kms:PutKeyPolicy}
 *     to the account root, the account id, {@code "*"}, or the caller registered for the signing access
 *     key ({@code registerCaller}); else {@code MalformedPolicyDocumentException}. Bypasses are
 *     recorded ({@code policyLockoutCheckBypassed}).</li>
 * <li>Eventual consistency of a new key (off by default; the sandbox turns both on):
 *     {@code tagAuthorizationDelay} makes the key-changing operations on a key younger than the delay
 *     {@code AccessDeniedException}, as for a role whose IAM policy allows them only on keys with certain
 *     tags while KMS does not count the new key's tags yet (AWS: up to five minutes); reads are not
 *     affected. {@code policyPropagationDelay} makes {@code atlasRoleCanUse} answer from the key's
 *     previous policy for that long after PutKeyPolicy changed it.</li>
 * <li>EventBridge accepts any bus name; rule targets run synchronously before PutEvents answers.</li>
 * <li>CloudTrail records only KMS (management events, {@code eventSource kms.amazonaws.com}), and only
 *     calls that reach the KMS stand-in: calls a fault switch throttles or fails are not recorded.
 *     {@code responseElements} is always null. An access key id nobody registered signs as a session of
 *     the role {@code sandbox-caller} named after the access key id; a role ARN (registered, or given to
 *     {@code recordKmsUse}) is recorded as a session of that role named after the access key id
 *     ({@code recordKmsUse} signs with a fresh {@code ASIA...} id). This registry ({@code principals()})
 *     is separate from KMS's {@code registerCaller}, which only serves the lockout check. The error
 *     messages of LookupEvents are the sandbox's own wording; the error types are CloudTrail's.</li>
 * </ul>
 */
package io.atlascmk.sandbox.aws;
