package io.atlascmk.cli.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The monthly AWS bill of a fleet, from what one rotation and one sweep were measured to use, at published prices
 * (gross: no free tier subtracted). Pure arithmetic; the measurement supplies the inputs.
 */
public final class CostModel {

    /** Days in an average month. */
    public static final double DAYS_PER_MONTH = 365.25 / 12;

    /**
     * Published on-demand prices, US East (N. Virginia), as read on 2026-12-07 (the date is in {@link #source}).
     *
     * @param sfnPerThousandTransitions   Step Functions Standard, per 1,000 state transitions
     * @param lambdaArmPerGbSecond        Lambda arm64 duration, per GB-second (first 7.5 billion)
     * @param lambdaPerMillionRequests    Lambda requests, per million
     * @param schedulerPerMillion         EventBridge Scheduler, per million invocations
     * @param eventsPerMillion            EventBridge custom events, per million
     * @param dynamoPerMillionWrites      DynamoDB on-demand, per million write request units
     * @param dynamoPerMillionReads       DynamoDB on-demand, per million read request units
     * @param s3PerThousandPuts           S3 Standard PUT/COPY/POST/LIST, per 1,000 requests
     * @param kmsPerKeyMonth              KMS customer managed key, per month
     * @param kmsPerTenThousandRequests   KMS symmetric requests, per 10,000
     */
    public record Prices(double sfnPerThousandTransitions, double lambdaArmPerGbSecond, double lambdaPerMillionRequests,
                         double schedulerPerMillion, double eventsPerMillion, double dynamoPerMillionWrites,
                         double dynamoPerMillionReads, double s3PerThousandPuts, double kmsPerKeyMonth,
                         double kmsPerTenThousandRequests, String source) {

        public static final Prices PUBLISHED = new Prices(0.025, 0.0000133334, 0.20, 1.00, 1.00, 0.625, 0.125, 0.005,
                1.00, 0.03, "us-east-1 on-demand list prices read 2026-12-07: Step Functions Standard $0.025/1,000"
                + " transitions (aws.amazon.com/step-functions/pricing); Lambda arm64 $0.0000133334/GB-s, $0.20/1M"
                + " requests (aws.amazon.com/lambda/pricing); EventBridge Scheduler $1.00/1M invocations, custom events"
                + " $1.00/1M (aws.amazon.com/eventbridge/pricing); DynamoDB on-demand $0.625/1M WRU, $0.125/1M RRU"
                + " (aws.amazon.com/dynamodb/pricing/on-demand, after the Nov 2024 cut); S3 Standard PUT $0.005/1,000"
                + " (aws.amazon.com/s3/pricing); KMS $1/key-month, $0.03/10,000 requests (aws.amazon.com/kms/pricing);"
                + " no free tier subtracted");
    }

    /**
     * What one execution used.
     *
     * @param transitions     state transitions (entered, retries included)
     * @param lambdaGbSeconds Lambda GB-seconds (memory x billed duration, summed over its invocations)
     * @param lambdaRequests  Lambda invocations
     * @param events          EventBridge custom events put (the workflow's notifications)
     * @param dynamoWrites    DynamoDB write request units
     * @param dynamoReads     DynamoDB read request units
     * @param s3Puts          S3 PUTs (evidence objects)
     * @param kmsRequests     KMS API requests
     */
    public record Usage(double transitions, double lambdaGbSeconds, double lambdaRequests, double events,
                        double dynamoWrites, double dynamoReads, double s3Puts, double kmsRequests) {
    }

    /**
     * The fleet.
     *
     * @param projects            projects rotated
     * @param rotationPeriodDays  each project's rotation period
     * @param sweepsPerDay        sweeps per project per day (each its own scheduled execution)
     * @param keysPerProject      KMS keys billed per project on average (the active key, and the old one while kept)
     */
    public record Fleet(int projects, double rotationPeriodDays, double sweepsPerDay, double keysPerProject) {

        public double rotationsPerMonth() {
            return projects * DAYS_PER_MONTH / rotationPeriodDays;
        }

        public double sweepsPerMonth() {
            return projects * DAYS_PER_MONTH * sweepsPerDay;
        }
    }

    /** One line of the bill. */
    public record Line(String item, double quantity, String unit, double dollars) {
    }

    private CostModel() {
    }

    /** The monthly bill, line by line, of {@code fleet} where a rotation uses {@code rotation} and a sweep {@code sweep}. */
    public static List<Line> monthly(Fleet fleet, Usage rotation, Usage sweep, Prices prices) {
        double r = fleet.rotationsPerMonth();
        double s = fleet.sweepsPerMonth();
        List<Line> lines = new ArrayList<>();
        double transitions = r * rotation.transitions() + s * sweep.transitions();
        lines.add(new Line("Step Functions", transitions, "transitions", transitions / 1000 * prices.sfnPerThousandTransitions()));
        double gbs = r * rotation.lambdaGbSeconds() + s * sweep.lambdaGbSeconds();
        double requests = r * rotation.lambdaRequests() + s * sweep.lambdaRequests();
        lines.add(new Line("Lambda", gbs, "GB-s, " + Math.round(requests) + " requests",
                gbs * prices.lambdaArmPerGbSecond() + requests / 1e6 * prices.lambdaPerMillionRequests()));
        double schedules = r + s;
        lines.add(new Line("EventBridge Scheduler", schedules, "invocations", schedules / 1e6 * prices.schedulerPerMillion()));
        double events = r * rotation.events() + s * sweep.events();
        lines.add(new Line("EventBridge events", events, "events", events / 1e6 * prices.eventsPerMillion()));
        double writes = r * rotation.dynamoWrites() + s * sweep.dynamoWrites();
        double reads = r * rotation.dynamoReads() + s * sweep.dynamoReads();
        lines.add(new Line("DynamoDB", writes + reads, "request units (" + Math.round(writes) + " W, " + Math.round(reads) + " R)",
                writes / 1e6 * prices.dynamoPerMillionWrites() + reads / 1e6 * prices.dynamoPerMillionReads()));
        double puts = r * rotation.s3Puts() + s * sweep.s3Puts();
        lines.add(new Line("S3", puts, "PUTs", puts / 1000 * prices.s3PerThousandPuts()));
        double keys = fleet.projects() * fleet.keysPerProject();
        double kmsRequests = r * rotation.kmsRequests() + s * sweep.kmsRequests();
        lines.add(new Line("KMS", keys, "key-months, " + Math.round(kmsRequests) + " requests",
                keys * prices.kmsPerKeyMonth() + kmsRequests / 10_000 * prices.kmsPerTenThousandRequests()));
        return lines;
    }

    public static double total(List<Line> lines) {
        return lines.stream().mapToDouble(Line::dollars).sum();
    }

    /** DynamoDB operations that write (a write request unit each, items under 1 KB); the rest read. */
    static final java.util.Set<String> DYNAMO_WRITES = java.util.Set.of("PutItem", "UpdateItem", "DeleteItem",
            "BatchWriteItem", "TransactWriteItems");

    /** Write and read request units of a request count by operation (transactions cost two per request). */
    static double[] requestUnits(Map<String, Long> byOperation) {
        double writes = 0;
        double reads = 0;
        for (Map.Entry<String, Long> e : byOperation.entrySet()) {
            double units = e.getValue() * (e.getKey().startsWith("Transact") ? 2 : 1);
            if (DYNAMO_WRITES.contains(e.getKey())) {
                writes += units;
            } else if (!e.getKey().equals("CreateTable") && !e.getKey().equals("DescribeTable")) {
                reads += units;
            }
        }
        return new double[] {writes, reads};
    }
}
