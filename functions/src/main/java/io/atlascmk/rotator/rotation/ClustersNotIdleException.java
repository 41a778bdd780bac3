package io.atlascmk.rotator.rotation;

import java.util.List;

/** Some AWS-encrypted clusters are busy; switching the key now would race their changes. */
public class ClustersNotIdleException extends RotationRefusedException {

    private static final long serialVersionUID = 1L;

    private final List<String> busyClusters;

    public ClustersNotIdleException(String projectId, List<String> busyClusters) {
        super("Project " + projectId + ": " + busyClusters.size() + " AWS-encrypted cluster(s) are not IDLE ("
                + String.join(", ", busyClusters) + "), so the key was not switched and nothing was changed. Run again "
                + "when they are idle, or start the rotation with \"waitForClusters\": true to wait for them.");
        this.busyClusters = List.copyOf(busyClusters);
    }

    public List<String> busyClusters() {
        return busyClusters;
    }
}
