package io.atlascmk.rotator.handler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.atlascmk.rotator.aws.KeyAccount;
import io.atlascmk.rotator.aws.KeyPlace;
import io.atlascmk.rotator.kms.KeyAccountUnreachableException;
import io.atlascmk.rotator.rotation.ExecutionSettings;
import io.atlascmk.rotator.rotation.ProjectSettingsSource;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The tripwire reaches a key of a member account through the role a registered project names for that account. */
class RescuePlaceTest {

    private static final String HOME = "111122223333";
    private static final KeyAccount MEMBER = new KeyAccount("arn:aws:iam::222233334444:role/atlas-cmk-key-account-R",
            "ext-7f3a9");

    /** Two registered projects: one at home, one with its keys in the member account. */
    private static final ProjectSettingsSource REGISTRY = new ProjectSettingsSource() {
        private final Map<String, KeyAccount> accounts = Map.of("5f1e2d3c4b5a69788796a5b4", MEMBER);

        @Override
        public ExecutionSettings forProject(String projectId) {
            return null;
        }

        @Override
        public Set<String> projectIds() {
            return Set.of("5f1e2d3c4b5a69788796a5b4", "6a7b8c9d0e1f2a3b4c5d6e7f");
        }

        @Override
        public KeyAccount keyAccount(String projectId) {
            return accounts.get(projectId);
        }
    };

    @Test
    void aKeyOfThisAccount_orABareId_isReachedAtHome_aMemberAccountsKeyThroughItsRole() {
        assertThat(RescueHandler.placeOfKey("eu-west-1", "arn:aws:kms:eu-west-1:" + HOME + ":key/k1", HOME, REGISTRY))
                .isEqualTo(KeyPlace.home("eu-west-1"));
        assertThat(RescueHandler.placeOfKey("eu-west-1", "k1", HOME, REGISTRY)).isEqualTo(KeyPlace.home("eu-west-1"));
        assertThat(RescueHandler.placeOfKey("eu-west-1", "arn:aws:kms:eu-west-1:222233334444:key/k2", HOME, REGISTRY))
                .isEqualTo(new KeyPlace("eu-west-1", MEMBER));
    }

    @Test
    void aKeyOfAnAccountNoProjectNames_isRefusedWithTheCommandsToCancelItsDeletionByHand() {
        String foreign = "arn:aws:kms:eu-west-1:999988887777:key/k3";
        assertThatThrownBy(() -> RescueHandler.placeOfKey("eu-west-1", foreign, HOME, REGISTRY))
                .isInstanceOf(KeyAccountUnreachableException.class)
                .hasMessageContaining("999988887777").hasMessageContaining("aws kms cancel-key-deletion --key-id " + foreign);
    }
}
