package io.atlascmk.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The functions' permissions are written on the deployment's tag, never on the project list: a deployment of forty
 * projects has exactly the policies of a deployment of two, character for character.
 */
class PolicyGrowthTest {

    @Test
    void noPolicyGrowsWithTheNumberOfProjects() throws IOException {
        Map<String, String> two = PolicySizeReport.policyDocuments(2);
        Map<String, String> forty = PolicySizeReport.policyDocuments(40);

        assertThat(two).isNotEmpty();
        assertThat(forty).isEqualTo(two);
        String aProjectId = PolicySizeReport.projectId(0);
        assertThat(two.values()).allSatisfy(document -> assertThat(document).doesNotContain(aProjectId));
    }
}
