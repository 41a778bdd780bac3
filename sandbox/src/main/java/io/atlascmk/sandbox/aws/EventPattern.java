package io.atlascmk.sandbox.aws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An EventBridge event pattern, validated the way EventBridge validates one and matched against events
 * (the full envelope: {@code source}, {@code detail-type}, {@code detail}, ...). Pure: no I/O, no state.
 *
 * <p>Supported: nested fields; leaf arrays as OR of: exact values (string, number compared as numbers,
 * boolean, null), {@code prefix} and {@code suffix} (optionally {@code {"equals-ignore-case": ...}}),
 * {@code equals-ignore-case}, {@code wildcard}, {@code anything-but} (a value, a list, or
 * {@code prefix}/{@code suffix}/{@code equals-ignore-case}/{@code wildcard}), {@code exists},
 * {@code numeric} ({@code = < <= > >=}, one lower and one upper bound), {@code cidr} (IPv4 and IPv6),
 * and {@code $or} at any level.
 *
 * <p>Semantics: a field the pattern names must be present (except for {@code "exists": false}); when
 * the event holds an array there, the field matches if any element matches (arrays of objects: any
 * element matches the nested pattern); {@code exists} looks at leaves only (an object is not a leaf);
 * {@code anything-but} needs the field present.
 */
public final class EventPattern {

    private interface Matcher {
        boolean test(JsonNode value);
    }

    private record Exists(boolean expected) {
    }

    private record Leaf(List<Object> alternatives) {
    }

    private record Fields(Map<String, Object> fields, List<List<Fields>> ors) {
    }

    private static final Pattern IPV4 = Pattern.compile("^(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})$");
    private static final Pattern IPV6_CHARS = Pattern.compile("^[0-9a-fA-F:.]+$");

    private final String json;
    private final Fields root;

    private EventPattern(String json, Fields root) {
        this.json = json;
        this.root = root;
    }

    /** Parses and validates a pattern; {@link InvalidEventPatternException} when EventBridge would refuse it. */
    public static EventPattern parse(String patternJson) {
        Objects.requireNonNull(patternJson, "patternJson");
        JsonNode node;
        try {
            node = AwsJson.parse(patternJson);
        } catch (JsonProcessingException e) {
            throw new InvalidEventPatternException("the pattern is not valid JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new InvalidEventPatternException("the pattern must be a JSON object.");
        }
        return new EventPattern(AwsJson.write(node), fields((ObjectNode) node, "pattern"));
    }

    /** The pattern as compact JSON. */
    public String json() {
        return json;
    }

    /** Whether an event (the full EventBridge envelope, as JSON text) matches. */
    public boolean matches(String eventJson) {
        try {
            return matches(AwsJson.parse(eventJson));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("The event is not valid JSON: " + e.getMessage(), e);
        }
    }

    /** Whether an event (the full EventBridge envelope) matches. */
    public boolean matches(JsonNode event) {
        return event != null && event.isObject() && matchFields(root, event);
    }

    @Override
    public String toString() {
        return json;
    }

    // ---------------------------------------------------------------------------------------------
    // Matching
    // ---------------------------------------------------------------------------------------------

    private static boolean matchFields(Fields pattern, JsonNode object) {
        for (Map.Entry<String, Object> field : pattern.fields().entrySet()) {
            JsonNode value = object == null || !object.isObject() ? null : object.get(field.getKey());
            boolean matched = field.getValue() instanceof Fields
                    ? matchNested((Fields) field.getValue(), value)
                    : matchLeaf((Leaf) field.getValue(), value);
            if (!matched) {
                return false;
            }
        }
        for (List<Fields> alternatives : pattern.ors()) {
            if (alternatives.stream().noneMatch(alternative -> matchFields(alternative, object))) {
                return false;
            }
        }
        return true;
    }

    private static boolean matchNested(Fields nested, JsonNode value) {
        if (value != null && value.isArray()) {
            for (JsonNode element : value) {
                if (element.isObject() && matchFields(nested, element)) {
                    return true;
                }
            }
            return false;
        }
        return matchFields(nested, value != null && value.isObject() ? value : null);
    }

    private static boolean matchLeaf(Leaf leaf, JsonNode value) {
        for (Object alternative : leaf.alternatives()) {
            if (alternative instanceof Exists) {
                if (((Exists) alternative).expected() == isPresentLeaf(value)) {
                    return true;
                }
                continue;
            }
            if (value == null) {
                continue;
            }
            Matcher matcher = (Matcher) alternative;
            if (value.isArray()) {
                for (JsonNode element : value) {
                    if (!element.isContainerNode() && matcher.test(element)) {
                        return true;
                    }
                }
            } else if (!value.isObject() && matcher.test(value)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isPresentLeaf(JsonNode value) {
        if (value == null || value.isObject()) {
            return false;
        }
        if (value.isArray()) {
            for (JsonNode element : value) {
                if (!element.isContainerNode()) {
                    return true;
                }
            }
            return false;
        }
        return true;
    }

    // ---------------------------------------------------------------------------------------------
    // Compiling and validating
    // ---------------------------------------------------------------------------------------------

    private static Fields fields(ObjectNode node, String path) {
        if (node.isEmpty()) {
            throw new InvalidEventPatternException("empty objects are not allowed (at " + path + ").");
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        List<List<Fields>> ors = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> field = it.next();
            String name = field.getKey();
            JsonNode value = field.getValue();
            String where = path + "." + name;
            if (name.equals("$or")) {
                if (!value.isArray() || value.size() < 2) {
                    throw new InvalidEventPatternException("$or needs a list of at least two patterns (at " + where + ").");
                }
                List<Fields> alternatives = new ArrayList<>();
                for (JsonNode alternative : value) {
                    if (!alternative.isObject()) {
                        throw new InvalidEventPatternException("each $or alternative must be an object (at " + where + ").");
                    }
                    alternatives.add(fields((ObjectNode) alternative, where));
                }
                ors.add(alternatives);
            } else if (value.isObject()) {
                fields.put(name, fields((ObjectNode) value, where));
            } else if (value.isArray()) {
                fields.put(name, leaf(value, where));
            } else {
                throw new InvalidEventPatternException("match values must be in a list or an object (at " + where
                        + "), e.g. \"" + name + "\": [" + value + "].");
            }
        }
        return new Fields(fields, ors);
    }

    private static Leaf leaf(JsonNode array, String path) {
        if (array.isEmpty()) {
            throw new InvalidEventPatternException("empty lists are not allowed (at " + path + ").");
        }
        List<Object> alternatives = new ArrayList<>();
        for (JsonNode element : array) {
            if (element.isArray()) {
                throw new InvalidEventPatternException("lists inside match lists are not allowed (at " + path + ").");
            }
            alternatives.add(element.isObject() ? operator((ObjectNode) element, path) : exact(element));
        }
        return new Leaf(alternatives);
    }

    private static Matcher exact(JsonNode literal) {
        if (literal.isNumber()) {
            BigDecimal expected = literal.decimalValue();
            return value -> value.isNumber() && value.decimalValue().compareTo(expected) == 0;
        }
        if (literal.isTextual() || literal.isBoolean() || literal.isNull()) {
            return value -> value.getNodeType() == literal.getNodeType() && value.equals(literal);
        }
        throw new InvalidEventPatternException("unsupported literal " + literal + ".");
    }

    private static Object operator(ObjectNode matcher, String path) {
        if (matcher.size() != 1) {
            throw new InvalidEventPatternException("a matcher object takes exactly one operator (at " + path + "): " + matcher);
        }
        String operator = matcher.fieldNames().next();
        JsonNode argument = matcher.get(operator);
        String where = path + " " + operator;
        switch (operator) {
            case "prefix":
                return affix(argument, where, true);
            case "suffix":
                return affix(argument, where, false);
            case "equals-ignore-case":
                return equalsIgnoreCase(text(argument, where));
            case "wildcard":
                return wildcard(text(argument, where), where);
            case "exists":
                if (!argument.isBoolean()) {
                    throw new InvalidEventPatternException("exists takes true or false (at " + where + ").");
                }
                return new Exists(argument.booleanValue());
            case "numeric":
                return numeric(argument, where);
            case "anything-but":
                return anythingBut(argument, where);
            case "cidr":
                return cidr(text(argument, where), where);
            default:
                throw new InvalidEventPatternException("unrecognized match type " + operator + " (at " + path + ").");
        }
    }

    private static String text(JsonNode argument, String where) {
        if (!argument.isTextual()) {
            throw new InvalidEventPatternException("expected a string (at " + where + "), got " + argument + ".");
        }
        return argument.textValue();
    }

    private static Matcher affix(JsonNode argument, String where, boolean prefix) {
        boolean ignoreCase = false;
        String affix;
        if (argument.isObject() && argument.size() == 1 && argument.has("equals-ignore-case")) {
            ignoreCase = true;
            affix = text(argument.get("equals-ignore-case"), where);
        } else {
            affix = text(argument, where);
        }
        String expected = ignoreCase ? affix.toLowerCase(Locale.ROOT) : affix;
        boolean lower = ignoreCase;
        return value -> {
            if (!value.isTextual()) {
                return false;
            }
            String text = lower ? value.textValue().toLowerCase(Locale.ROOT) : value.textValue();
            return prefix ? text.startsWith(expected) : text.endsWith(expected);
        };
    }

    private static Matcher equalsIgnoreCase(String expected) {
        return value -> value.isTextual() && value.textValue().equalsIgnoreCase(expected);
    }

    private static Matcher wildcard(String glob, String where) {
        if (glob.contains("**")) {
            throw new InvalidEventPatternException("consecutive wildcard characters are not allowed (at " + where + ").");
        }
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '\\' && i + 1 < glob.length()) {
                regex.append(Pattern.quote(String.valueOf(glob.charAt(++i))));
            } else if (c == '*') {
                regex.append(".*");
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        Pattern compiled = Pattern.compile(regex.toString(), Pattern.DOTALL);
        return value -> value.isTextual() && compiled.matcher(value.textValue()).matches();
    }

    private static Matcher numeric(JsonNode argument, String where) {
        if (!argument.isArray() || argument.isEmpty() || argument.size() % 2 != 0 || argument.size() > 4) {
            throw new InvalidEventPatternException("numeric takes one or two [operator, number] pairs (at " + where + ").");
        }
        List<Matcher> comparisons = new ArrayList<>();
        boolean lower = false;
        boolean upper = false;
        boolean equals = false;
        for (int i = 0; i < argument.size(); i += 2) {
            String op = text(argument.get(i), where);
            JsonNode bound = argument.get(i + 1);
            if (!bound.isNumber()) {
                throw new InvalidEventPatternException("numeric bounds must be numbers (at " + where + "), got " + bound + ".");
            }
            BigDecimal limit = bound.decimalValue();
            switch (op) {
                case "=":
                    equals = true;
                    comparisons.add(v -> v.decimalValue().compareTo(limit) == 0);
                    break;
                case "<":
                    upper = rejectTwice(upper, where);
                    comparisons.add(v -> v.decimalValue().compareTo(limit) < 0);
                    break;
                case "<=":
                    upper = rejectTwice(upper, where);
                    comparisons.add(v -> v.decimalValue().compareTo(limit) <= 0);
                    break;
                case ">":
                    lower = rejectTwice(lower, where);
                    comparisons.add(v -> v.decimalValue().compareTo(limit) > 0);
                    break;
                case ">=":
                    lower = rejectTwice(lower, where);
                    comparisons.add(v -> v.decimalValue().compareTo(limit) >= 0);
                    break;
                default:
                    throw new InvalidEventPatternException("unrecognized numeric operator " + op + " (at " + where + ").");
            }
        }
        if (equals && comparisons.size() > 1) {
            throw new InvalidEventPatternException("numeric = cannot be combined with other comparisons (at " + where + ").");
        }
        return value -> value.isNumber() && comparisons.stream().allMatch(c -> c.test(value));
    }

    private static boolean rejectTwice(boolean alreadySet, String where) {
        if (alreadySet) {
            throw new InvalidEventPatternException("numeric takes at most one lower and one upper bound (at " + where + ").");
        }
        return true;
    }

    private static Matcher anythingBut(JsonNode argument, String where) {
        List<Matcher> excluded = new ArrayList<>();
        boolean textOnly = false;
        if (argument.isTextual() || argument.isNumber()) {
            excluded.add(exact(argument));
        } else if (argument.isArray()) {
            if (argument.isEmpty()) {
                throw new InvalidEventPatternException("anything-but needs at least one value (at " + where + ").");
            }
            for (JsonNode element : argument) {
                if (!element.isTextual() && !element.isNumber()) {
                    throw new InvalidEventPatternException("anything-but lists hold strings or numbers (at " + where + ").");
                }
                excluded.add(exact(element));
            }
        } else if (argument.isObject() && argument.size() == 1) {
            textOnly = true;
            String inner = argument.fieldNames().next();
            JsonNode value = argument.get(inner);
            switch (inner) {
                case "prefix":
                    excluded.add(affix(value, where, true));
                    break;
                case "suffix":
                    excluded.add(affix(value, where, false));
                    break;
                case "equals-ignore-case":
                case "wildcard":
                    List<JsonNode> values = new ArrayList<>();
                    if (value.isArray() && !value.isEmpty()) {
                        value.forEach(values::add);
                    } else {
                        values.add(value);
                    }
                    for (JsonNode v : values) {
                        excluded.add(inner.equals("wildcard") ? wildcard(text(v, where), where) : equalsIgnoreCase(text(v, where)));
                    }
                    break;
                default:
                    throw new InvalidEventPatternException("anything-but does not take " + inner + " (at " + where + ").");
            }
        } else {
            throw new InvalidEventPatternException("anything-but takes a value, a list, or one of prefix, suffix, "
                    + "equals-ignore-case, wildcard (at " + where + ").");
        }
        boolean needsText = textOnly;
        return value -> (!needsText || value.isTextual()) && excluded.stream().noneMatch(m -> m.test(value));
    }

    private static Matcher cidr(String cidr, String where) {
        int slash = cidr.indexOf('/');
        byte[] network = slash < 0 ? null : ipAddress(cidr.substring(0, slash));
        int bits;
        try {
            bits = slash < 0 ? -1 : Integer.parseInt(cidr.substring(slash + 1));
        } catch (NumberFormatException e) {
            bits = -1;
        }
        if (network == null || bits < 0 || bits > network.length * 8) {
            throw new InvalidEventPatternException("cidr takes an IPv4 or IPv6 range like 10.0.0.0/24 (at " + where + ").");
        }
        BigInteger mask = BigInteger.ONE.shiftLeft(network.length * 8).subtract(BigInteger.ONE)
                .shiftRight(bits).not();
        BigInteger masked = new BigInteger(1, network).and(mask);
        int length = network.length;
        return value -> {
            if (!value.isTextual()) {
                return false;
            }
            byte[] address = ipAddress(value.textValue());
            return address != null && address.length == length && new BigInteger(1, address).and(mask).equals(masked);
        };
    }

    /** Parses an IP literal without ever resolving a name; null when it is not one. */
    private static byte[] ipAddress(String text) {
        java.util.regex.Matcher v4 = IPV4.matcher(text);
        if (v4.matches()) {
            byte[] out = new byte[4];
            for (int i = 0; i < 4; i++) {
                int part = Integer.parseInt(v4.group(i + 1));
                if (part > 255) {
                    return null;
                }
                out[i] = (byte) part;
            }
            return out;
        }
        if (text.indexOf(':') >= 0 && IPV6_CHARS.matcher(text).matches()) {
            try {
                byte[] out = InetAddress.getByName("[" + text + "]").getAddress();
                return out.length == 16 ? out : null;
            } catch (UnknownHostException e) {
                return null;
            }
        }
        return null;
    }
}
