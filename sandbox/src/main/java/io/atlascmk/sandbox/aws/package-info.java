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
 *     UntagResource, CreateAlias/UpdateAlias onto it, UpdateKeyDescription, Encrypt, Decrypt and
 *     CreateGrant with {@code KMSInvalidStateException} (KMS's key-state table); it still answers
 *     DescribeKey, GetKeyPolicy, PutKeyPolicy, ListResourceTags, ListAliases, DeleteAlias, ListGrants,
 *     RetireGrant, RevokeGrant and CancelKeyDeletion. A {@code Disabled} key rejects Encrypt, Decrypt and
 *     CreateGrant with {@code DisabledException}, as the key-state table has it.</li>
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
