package io.atlascmk.infra;

import com.fasterxml.jackson.databind.ObjectMapper;

/** The infra's one plain ObjectMapper (the configuration loaders keep their own strict readers). */
final class InfraJson {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private InfraJson() {
    }
}
