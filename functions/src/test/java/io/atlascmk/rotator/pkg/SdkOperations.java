package io.atlascmk.rotator.pkg;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/** The AWS operations the functions call ({@code service:Operation}), as the shaded jar records them. */
final class SdkOperations {

    /** Written into the jar by the build's pruning step (functions/src/build/PruneSdk.java). */
    static final String REPORT = "META-INF/atlas-cmk-rotator/sdk-operations.txt";

    /** What the functions' code calls, when the jar carries no report. */
    static final List<String> CALLED = List.of("kms:CancelKeyDeletion", "kms:CreateAlias", "kms:CreateKey", "kms:DescribeKey",
            "kms:EnableKey", "kms:EnableKeyRotation", "kms:GetKeyPolicy", "kms:GetKeyRotationStatus", "kms:ListAliases",
            "kms:ListGrants", "kms:ListKeyRotations", "kms:ListKeys", "kms:ListResourceTags", "kms:PutKeyPolicy",
            "kms:RotateKeyOnDemand", "kms:ScheduleKeyDeletion", "kms:TagResource", "kms:UntagResource", "kms:UpdateAlias",
            "dynamodb:CreateTable", "dynamodb:DeleteItem", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Scan",
            "dynamodb:UpdateItem", "cloudtrail:LookupEvents", "eventbridge:PutEvents", "secretsmanager:GetSecretValue",
            "sfn:DescribeExecution", "sts:AssumeRole", "s3:PutObject");

    private SdkOperations() {
    }

    static List<String> ofJar(Path jar) throws IOException {
        Set<String> ops = new LinkedHashSet<>(CALLED);
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            ZipEntry report = zip.getEntry(REPORT);
            if (report != null) {
                try (InputStream in = zip.getInputStream(report)) {
                    new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::trim)
                            .filter(l -> !l.isEmpty() && !l.startsWith("#")).forEach(ops::add);
                }
            }
        }
        return new ArrayList<>(ops);
    }
}
