package io.atlascmk.rotator.kms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KeyIdsTest {

    private static final String ID = "1234abcd-12ab-34cd-56ef-1234567890ab";
    private static final String ARN = "arn:aws:kms:us-east-1:111122223333:key/" + ID;
    private static final String MRK_ID = "mrk-1234abcd12ab34cd56ef1234567890ab";
    private static final String MRK_ARN = "arn:aws:kms:eu-west-1:111122223333:key/" + MRK_ID;

    @Test
    void keyId_ofAnArn_isThePartAfterKeySlash() {
        assertThat(KeyIds.keyId(ARN)).isEqualTo(ID);
        assertThat(KeyIds.keyId(MRK_ARN)).isEqualTo(MRK_ID);
    }

    @Test
    void keyId_ofABareId_isTheIdTrimmedAndLowerCased() {
        assertThat(KeyIds.keyId("  " + ID.toUpperCase() + " ")).isEqualTo(ID);
        assertThat(KeyIds.keyId(MRK_ID.toUpperCase())).isEqualTo(MRK_ID);
    }

    @Test
    void sameKey_matchesArnAgainstBareIdAndMrkForms() {
        assertThat(KeyIds.sameKey(ARN, ID)).isTrue();
        assertThat(KeyIds.sameKey(ID.toUpperCase(), ARN)).isTrue();
        assertThat(KeyIds.sameKey(MRK_ARN, MRK_ID)).isTrue();
        assertThat(KeyIds.sameKey("arn:aws:kms:us-west-2:111122223333:key/" + MRK_ID, MRK_ARN))
                .as("a multi-Region key and its replica share the key id")
                .isTrue();
    }

    @Test
    void sameKey_isFalseForDifferentKeysNullsAndAliases() {
        assertThat(KeyIds.sameKey(ARN, MRK_ARN)).isFalse();
        assertThat(KeyIds.sameKey(ID, "1234abcd-12ab-34cd-56ef-1234567890ac")).isFalse();
        assertThat(KeyIds.sameKey(null, ID)).isFalse();
        assertThat(KeyIds.sameKey(ID, null)).isFalse();
        assertThat(KeyIds.sameKey("alias/atlas", "alias/atlas")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"alias/atlas-cmk/p1", "arn:aws:kms:us-east-1:111122223333:alias/atlas-cmk/p1",
            "arn:aws:iam::111122223333:role/atlas", "key/with/slash", "", "   "})
    void keyId_rejectsAliasesOtherArnsAndBlanks(String notAKey) {
        assertThatThrownBy(() -> KeyIds.keyId(notAKey)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void keyId_rejectsNull() {
        assertThatThrownBy(() -> KeyIds.keyId(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void accountOf_isTheArnsAccount_ofAKeyOrARole_orNullForABareId() {
        assertThat(KeyIds.accountOf(ARN)).isEqualTo(ARN.split(":")[4]);
        assertThat(KeyIds.accountOf("arn:aws:iam::111122223333:role/atlas")).isEqualTo("111122223333");
        assertThat(KeyIds.accountOf("1234abcd-12ab-34cd-56ef-1234567890ab")).isNull();
        assertThat(KeyIds.accountOf(null)).isNull();
    }

    @Test
    void regionOf_isTheArnsRegion_orNullForABareId() {
        assertThat(KeyIds.regionOf(ARN)).isEqualTo("us-east-1");
        assertThat(KeyIds.regionOf(MRK_ARN)).isEqualTo("eu-west-1");
        assertThat(KeyIds.regionOf(ID)).isNull();
    }

    @Test
    void isMultiRegion_recognisesMrkIdsAndArns() {
        assertThat(KeyIds.isMultiRegion(MRK_ID)).isTrue();
        assertThat(KeyIds.isMultiRegion(MRK_ARN)).isTrue();
        assertThat(KeyIds.isMultiRegion(ARN)).isFalse();
        assertThat(KeyIds.isMultiRegion(null)).isFalse();
    }

    @Property
    void anArnAndItsKeyIdInAnyCase_areTheSameKey(@ForAll("keyIds") String id, @ForAll("regions") String region) {
        String arn = "arn:aws:kms:" + region + ":111122223333:key/" + id;

        assertThat(KeyIds.sameKey(arn, id.toUpperCase())).isTrue();
        assertThat(KeyIds.keyId(arn)).isEqualTo(id);
        assertThat(KeyIds.regionOf(arn)).isEqualTo(region);
    }

    @Provide
    Arbitrary<String> keyIds() {
        Arbitrary<String> uuid = Arbitraries.create(java.util.UUID::randomUUID).map(Object::toString);
        Arbitrary<String> mrk = Arbitraries.strings().withChars("0123456789abcdef").ofLength(32).map(s -> "mrk-" + s);
        return Arbitraries.oneOf(uuid, mrk);
    }

    @Provide
    Arbitrary<String> regions() {
        return Arbitraries.of("us-east-1", "eu-west-1", "ap-southeast-2", "us-gov-west-1", "cn-north-1");
    }
}
