package io.atlascmk.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CostModelTest {

    /** Round prices, so every line can be checked by hand. */
    private static final CostModel.Prices ROUND = new CostModel.Prices(0.025, 0.00001, 0.20, 1.0, 1.0, 1.0, 0.5, 0.005,
            1.0, 0.03, "test");

    @Test
    void theMonthlyBillFromOneRotationAndOneSweep() {
        // 30 projects every 30.4375 days and one sweep per project per day: exactly 30 rotations and 913.125 sweeps a month
        CostModel.Fleet fleet = new CostModel.Fleet(30, CostModel.DAYS_PER_MONTH, 1, 1.5);
        CostModel.Usage rotation = new CostModel.Usage(40, 10, 12, 1, 20, 30, 1, 50);
        CostModel.Usage sweep = new CostModel.Usage(10, 1, 2, 1, 4, 6, 1, 10);

        List<CostModel.Line> bill = CostModel.monthly(fleet, rotation, sweep, ROUND);

        double sweeps = 30 * CostModel.DAYS_PER_MONTH;
        assertThat(fleet.rotationsPerMonth()).isCloseTo(30, within(1e-9));
        assertThat(fleet.sweepsPerMonth()).isCloseTo(sweeps, within(1e-9));
        assertThat(line(bill, "Step Functions").quantity()).isCloseTo(30 * 40 + sweeps * 10, within(1e-6));
        assertThat(line(bill, "Step Functions").dollars()).isCloseTo((30 * 40 + sweeps * 10) / 1000 * 0.025, within(1e-9));
        assertThat(line(bill, "Lambda").dollars()).isCloseTo((30 * 10 + sweeps) * 0.00001 + (30 * 12 + sweeps * 2) / 1e6 * 0.20,
                within(1e-9));
        assertThat(line(bill, "EventBridge Scheduler").quantity()).isCloseTo(30 + sweeps, within(1e-9));
        assertThat(line(bill, "DynamoDB").dollars()).isCloseTo((30 * 20 + sweeps * 4) / 1e6 + (30 * 30 + sweeps * 6) / 1e6 * 0.5,
                within(1e-12));
        assertThat(line(bill, "S3").dollars()).isCloseTo((30 + sweeps) / 1000 * 0.005, within(1e-12));
        assertThat(line(bill, "KMS").quantity()).isEqualTo(45.0);
        assertThat(line(bill, "KMS").dollars()).isCloseTo(45 + (30 * 50 + sweeps * 10) / 10_000 * 0.03, within(1e-9));
        assertThat(CostModel.total(bill)).isCloseTo(bill.stream().mapToDouble(CostModel.Line::dollars).sum(), within(1e-12));
    }

    @Test
    void dynamoRequestsBecomeRequestUnits() {
        double[] units = CostModel.requestUnits(Map.of("UpdateItem", 3L, "PutItem", 1L, "GetItem", 4L, "Query", 2L,
                "TransactWriteItems", 1L, "CreateTable", 1L));

        assertThat(units[0]).as("writes").isEqualTo(3 + 1 + 2);
        assertThat(units[1]).as("reads").isEqualTo(4 + 2);
    }

    @Test
    void thePublishedPricesSayWhenAndWhereTheyWereRead() {
        assertThat(CostModel.Prices.PUBLISHED.source()).contains("2026-12-07").contains("us-east-1");
        assertThat(CostModel.Prices.PUBLISHED.sfnPerThousandTransitions()).isEqualTo(0.025);
        assertThat(CostModel.Prices.PUBLISHED.lambdaArmPerGbSecond()).isEqualTo(0.0000133334);
    }

    private static CostModel.Line line(List<CostModel.Line> bill, String item) {
        return bill.stream().filter(l -> l.item().equals(item)).findFirst().orElseThrow();
    }
}
