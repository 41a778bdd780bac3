package io.atlascmk.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Holds the project's contract against MongoDB's published Atlas Admin API document: whatever ours names
 * must exist there with the same meaning, and each operation must use the newest resource version the
 * official document does not sunset.
 *
 * <p>What is compared, from ours to theirs (ours may say less, never something else):
 * <ul>
 *   <li>every path and method; every parameter (name and place) with its schema; every response status;
 *       every media type of a request body or response;</li>
 *   <li>schemas, recursively: a field ours names must exist there; {@code type} and {@code format} must be
 *       among the official ones; an enum of ours must be a subset of the official values. The official
 *       document builds many schemas from {@code allOf}/{@code oneOf}/{@code anyOf}; their members are
 *       read together (the fields, the types and the enum values of all members), so a field or a value
 *       found in any member counts.</li>
 * </ul>
 * Pure: both documents and the day come in as arguments, so the rules have their own tests.
 */
final class OfficialComparison {

    /** The comparison's outcome: errors fail the build, warnings are printed. */
    record Findings(List<String> errors, List<String> warnings) {
    }

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern VERSIONED = Pattern.compile("application/vnd\\.atlas\\.(\\d{4}-\\d{2}-\\d{2})\\+json");
    private static final List<String> METHODS = List.of("get", "put", "post", "delete", "patch");
    private static final int MAX_DEPTH = 40;

    private final Document ours;
    private final Document official;

    OfficialComparison(JsonNode ours, JsonNode official) {
        this.ours = new Document(ours);
        this.official = new Document(official);
    }

    static JsonNode parse(String yaml) {
        try {
            return YAML.readTree(yaml);
        } catch (IOException e) {
            throw new UncheckedIOException("Not a YAML document: " + e.getMessage(), e);
        }
    }

    /**
     * The marker of an operation the reference does not hold (written from MongoDB's full document, which it names):
     * not compared while the reference lacks it; a difference once the reference holds it.
     */
    static final String OUTSIDE_REFERENCE = "x-outside-reference";

    /** Our operations marked {@link #OUTSIDE_REFERENCE} that the official document lacks, with the marker's text. */
    List<String> outsideReference() {
        List<String> out = new ArrayList<>();
        forEachOperation((path, method, op, theirs) -> {
            if (theirs == null && op.has(OUTSIDE_REFERENCE)) {
                out.add(method.toUpperCase() + " " + path + ": " + op.get(OUTSIDE_REFERENCE).asText());
            }
        });
        return out;
    }

    /** Everything ours names that the official document does not define in the same way. */
    List<String> differences() {
        List<String> out = new ArrayList<>();
        forEachOperation((path, method, op, theirs) -> {
            String where = method.toUpperCase() + " " + path;
            boolean outside = op.has(OUTSIDE_REFERENCE);
            if (theirs == null) {
                if (!outside) {
                    out.add(where + ": no such operation in the official document");
                }
                return;
            }
            if (outside) {
                out.add(where + ": the official document defines it now: remove " + OUTSIDE_REFERENCE
                        + " so that it is compared");
                return;
            }
            compareParameters(where, ours.operationParameters(path, op), official.operationParameters(path, theirs), out);
            compareBody(where + " request body", op.path("requestBody"), theirs.path("requestBody"), out);
            JsonNode theirResponses = theirs.path("responses");
            op.path("responses").properties().forEach(status -> {
                JsonNode theirResponse = theirResponses.get(status.getKey());
                if (theirResponse == null) {
                    out.add(where + ": status " + status.getKey() + " is not defined there (it defines "
                            + names(theirResponses) + ")");
                } else {
                    compareBody(where + " response " + status.getKey(), status.getValue(), theirResponse, out);
                }
            });
        });
        return out;
    }

    /**
     * Each operation's resource version: an error when it is past its {@code x-sunset} or when a newer
     * version exists that is not sunset; a warning when its sunset is less than a year after {@code today}.
     */
    Findings versions(LocalDate today) {
        List<String> errors = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        forEachOperation((path, method, op, theirs) -> {
            if (theirs == null) {
                return; // differences() reports it
            }
            String where = method.toUpperCase() + " " + path;
            Map<String, LocalDate> available = new LinkedHashMap<>(); // version -> sunset (null: none)
            for (JsonNode response : List.of(official.resolve(theirs.path("responses").path(successStatus(theirs))))) {
                response.path("content").properties().forEach(media -> {
                    Matcher m = VERSIONED.matcher(media.getKey());
                    if (m.matches()) {
                        JsonNode sunset = media.getValue().get("x-sunset");
                        available.put(m.group(1), sunset == null ? null : LocalDate.parse(sunset.asText()));
                    }
                });
            }
            String newest = available.entrySet().stream().filter(e -> e.getValue() == null).map(Map.Entry::getKey)
                    .max(Comparator.naturalOrder()).orElse(null);
            for (String version : ourVersions(op)) {
                if (!available.containsKey(version)) {
                    continue; // differences() reports it
                }
                LocalDate sunset = available.get(version);
                if (sunset != null && !today.isBefore(sunset)) {
                    errors.add(where + " uses version " + version + ", sunset on " + sunset + ": Atlas no longer serves it."
                            + (newest == null ? "" : " Move to " + newest + "."));
                } else if (sunset != null && today.plusYears(1).isAfter(sunset)) {
                    warnings.add(where + " uses version " + version + ", which the official document sunsets on " + sunset
                            + (newest == null ? "" : "; move to " + newest) + ".");
                }
                if (newest != null && newest.compareTo(version) > 0) {
                    errors.add(where + " uses version " + version + " but " + newest
                            + " exists and is not sunset: use the newest version Atlas does not sunset.");
                }
            }
        });
        return new Findings(errors, warnings);
    }

    // ------------------------------------------------------------------ operations

    private interface OperationVisitor {
        void visit(String path, String method, JsonNode ours, JsonNode theirs);
    }

    private void forEachOperation(OperationVisitor visitor) {
        ours.root.path("paths").properties().forEach(path -> {
            JsonNode theirPath = official.root.path("paths").get(path.getKey());
            for (String method : METHODS) {
                JsonNode op = path.getValue().get(method);
                if (op != null) {
                    visitor.visit(path.getKey(), method, op, theirPath == null ? null : theirPath.get(method));
                }
            }
        });
    }

    private static String successStatus(JsonNode operation) {
        for (String status : List.of("200", "201", "202", "204")) {
            if (operation.path("responses").has(status)) {
                return status;
            }
        }
        return "200";
    }

    private Set<String> ourVersions(JsonNode op) {
        Set<String> versions = new LinkedHashSet<>();
        List<JsonNode> bodies = new ArrayList<>();
        bodies.add(ours.resolve(op.path("requestBody")));
        op.path("responses").forEach(r -> bodies.add(ours.resolve(r)));
        for (JsonNode body : bodies) {
            body.path("content").fieldNames().forEachRemaining(media -> {
                Matcher m = VERSIONED.matcher(media);
                if (m.matches()) {
                    versions.add(m.group(1));
                }
            });
        }
        return versions;
    }

    private void compareParameters(String where, Map<String, JsonNode> mine, Map<String, JsonNode> theirs, List<String> out) {
        mine.forEach((key, parameter) -> {
            JsonNode their = theirs.get(key);
            if (their == null) {
                out.add(where + ": parameter " + key + " is not defined there (it defines " + theirs.keySet() + ")");
            } else {
                out.addAll(compareSchema(where + " parameter " + key, parameter.path("schema"),
                        List.of(their.path("schema"))));
            }
        });
    }

    private void compareBody(String where, JsonNode mine, JsonNode theirs, List<String> out) {
        JsonNode myContent = ours.resolve(mine).path("content");
        JsonNode theirContent = official.resolve(theirs).path("content");
        myContent.properties().forEach(media -> {
            JsonNode their = theirContent.get(media.getKey());
            if (their == null) {
                out.add(where + ": media type " + media.getKey() + " is not defined there (it defines "
                        + names(theirContent) + ")");
            } else {
                out.addAll(compareSchema(where + " " + media.getKey(), media.getValue().path("schema"),
                        List.of(their.path("schema"))));
            }
        });
    }

    // ------------------------------------------------------------------ schemas

    /** Differences of our schema from the best-fitting official candidate (none when one fits). */
    private List<String> compareSchema(String where, JsonNode mine, List<JsonNode> candidates) {
        return compare(where, mine, candidates, 0, new IdentityHashMap<>());
    }

    private List<String> compare(String where, JsonNode mineRaw, List<JsonNode> candidates, int depth,
                                 IdentityHashMap<JsonNode, Boolean> inProgress) {
        JsonNode mine = ours.resolve(mineRaw);
        if (mine.isMissingNode() || depth > MAX_DEPTH || inProgress.containsKey(mine)) {
            return List.of();
        }
        inProgress.put(mine, true);
        try {
            List<String> best = null;
            for (JsonNode candidate : candidates) {
                List<String> diffs = compareOne(where, mine, official.flatten(candidate), depth, inProgress);
                if (diffs.isEmpty()) {
                    return diffs;
                }
                if (best == null || diffs.size() < best.size()) {
                    best = diffs;
                }
            }
            return best == null ? List.of(where + ": not defined there") : best;
        } finally {
            inProgress.remove(mine);
        }
    }

    private List<String> compareOne(String where, JsonNode mine, List<JsonNode> theirs, int depth,
                                    IdentityHashMap<JsonNode, Boolean> inProgress) {
        List<String> out = new ArrayList<>();
        Set<String> types = collect(theirs, "type");
        String type = mine.path("type").asText(null);
        if (type != null && !types.isEmpty() && !types.contains(type)) {
            out.add(where + ": type " + type + ", there " + types);
        }
        String format = mine.path("format").asText(null);
        Set<String> formats = collect(theirs, "format");
        if (format != null && !formats.contains(format)) {
            out.add(where + ": format " + format + ", there " + (formats.isEmpty() ? "none" : formats));
        }
        if (mine.has("enum")) {
            Set<String> allowed = enumValues(theirs);
            if (allowed != null) {
                List<String> foreign = new ArrayList<>();
                mine.get("enum").forEach(v -> {
                    if (!allowed.contains(v.asText())) {
                        foreign.add(v.asText());
                    }
                });
                if (!foreign.isEmpty()) {
                    out.add(where + ": enum values " + foreign + " are not among the official ones");
                }
            }
        }
        Map<String, List<JsonNode>> theirProperties = new LinkedHashMap<>();
        for (JsonNode s : theirs) {
            s.path("properties").properties().forEach(p ->
                    theirProperties.computeIfAbsent(p.getKey(), k -> new ArrayList<>()).add(p.getValue()));
        }
        mine.path("properties").properties().forEach(p -> {
            List<JsonNode> candidates = theirProperties.get(p.getKey());
            if (candidates == null) {
                out.add(where + "." + p.getKey() + ": no such field there");
            } else {
                out.addAll(compare(where + "." + p.getKey(), p.getValue(), candidates, depth + 1, inProgress));
            }
        });
        if (mine.has("items")) {
            List<JsonNode> theirItems = new ArrayList<>();
            theirs.forEach(s -> {
                if (s.has("items")) {
                    theirItems.add(s.get("items"));
                }
            });
            if (theirItems.isEmpty()) {
                out.add(where + ": an array here, not there");
            } else {
                out.addAll(compare(where + "[]", mine.get("items"), theirItems, depth + 1, inProgress));
            }
        }
        return out;
    }

    private static Set<String> collect(List<JsonNode> schemas, String field) {
        Set<String> out = new LinkedHashSet<>();
        schemas.forEach(s -> {
            if (s.has(field)) {
                out.add(s.get(field).asText());
            }
        });
        return out;
    }

    /**
     * The official enum values of a (flattened) schema; null when it is not restricted to an enum (some
     * member that is a plain value has none).
     */
    private static Set<String> enumValues(List<JsonNode> schemas) {
        Set<String> out = new LinkedHashSet<>();
        boolean restricted = false;
        for (JsonNode s : schemas) {
            if (s.has("enum")) {
                restricted = true;
                s.get("enum").forEach(v -> out.add(v.asText()));
            } else if (isPlainValue(s)) {
                return null;
            }
        }
        return restricted ? out : null;
    }

    private static boolean isPlainValue(JsonNode s) {
        String type = s.path("type").asText("");
        return (type.equals("string") || type.equals("integer") || type.equals("number") || type.equals("boolean"))
                && !s.has("oneOf") && !s.has("anyOf") && !s.has("allOf");
    }

    private static List<String> names(JsonNode object) {
        List<String> out = new ArrayList<>();
        object.fieldNames().forEachRemaining(out::add);
        return out;
    }

    /** One OpenAPI document: local {@code $ref}s and combinators. */
    private static final class Document {
        private final JsonNode root;

        Document(JsonNode root) {
            this.root = root;
        }

        /** Follows {@code $ref} (local, {@code #/...}) until a node without one. */
        JsonNode resolve(JsonNode node) {
            JsonNode current = node;
            for (int i = 0; i < 32 && current != null && current.has("$ref"); i++) {
                String ref = current.get("$ref").asText();
                if (!ref.startsWith("#/")) {
                    throw new IllegalArgumentException("Only local references are supported: " + ref);
                }
                JsonNode target = root;
                for (String part : ref.substring(2).split("/")) {
                    target = target.path(part.replace("~1", "/").replace("~0", "~"));
                }
                current = target;
            }
            return current == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : current;
        }

        /** The schema and every member of its allOf / oneOf / anyOf, recursively, all resolved. */
        List<JsonNode> flatten(JsonNode schema) {
            List<JsonNode> out = new ArrayList<>();
            flatten(resolve(schema), out, 0);
            return out;
        }

        private void flatten(JsonNode schema, List<JsonNode> out, int depth) {
            if (schema.isMissingNode() || depth > 16 || out.stream().anyMatch(s -> s == schema)) {
                return;
            }
            out.add(schema);
            for (String combinator : List.of("allOf", "oneOf", "anyOf")) {
                schema.path(combinator).forEach(member -> flatten(resolve(member), out, depth + 1));
            }
        }

        /** An operation's parameters by {@code in:name}, the path item's included. */
        Map<String, JsonNode> operationParameters(String path, JsonNode operation) {
            Map<String, JsonNode> out = new LinkedHashMap<>();
            List<JsonNode> all = new ArrayList<>();
            root.path("paths").path(path).path("parameters").forEach(all::add);
            operation.path("parameters").forEach(all::add);
            for (JsonNode raw : all) {
                JsonNode p = resolve(raw);
                out.put(p.path("in").asText() + ":" + p.path("name").asText(), p);
            }
            return out;
        }
    }
}
