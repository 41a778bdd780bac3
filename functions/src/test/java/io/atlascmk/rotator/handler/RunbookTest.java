package io.atlascmk.rotator.handler;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.atlascmk.rotator.alert.EventBridgeAlertPublisher;
import io.atlascmk.rotator.json.Json;
import io.atlascmk.rotator.rescue.KeyRescue;
import java.io.IOException;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README's runbook stays complete and true: every error name a workflow can record, every event the rotator
 * publishes and every alarm has exactly one entry; no entry names something that is gone; every entry says what it
 * means and gives a command (or says "no action"); and every {@code ./rotator} command it shows uses options the
 * command has.
 */
class RunbookTest {

    static final Path README = ErrorNamesTest.README;
    static final List<Path> STATE_MACHINES = List.of(Path.of("..", "statemachine", "rotation.asl.json"),
            Path.of("..", "statemachine", "fleet.asl.json"));
    static final Path SOURCES = Path.of("src", "main", "java");
    static final Path CLI_SOURCES = Path.of("..", "cli", "src", "main", "java", "io", "atlascmk", "cli");

    /** The error table's packages, and those of the lock, the evidence and the registry the steps use. */
    static final List<String> RECORDED_PACKAGES = Stream.concat(ErrorNamesTest.STEP_PACKAGES.stream(),
            Stream.of("io/atlascmk/rotator/lock", "io/atlascmk/rotator/evidence", "io/atlascmk/rotator/registry",
                    "io/atlascmk/rotator/record")).toList();

    /**
     * Errors Step Functions itself records that no ASL names (its {@code States.ALL} catches and retries them): a
     * fleet child that failed ({@code startExecution.sync}), an event the bus did not take ({@code events:putEvents}).
     */
    static final List<String> PLATFORM_ERRORS = List.of("States.TaskFailed", "EventBridge.FailedEntry");

    /** The stack's alarms; the infra module defines them (its MonitoringStackTest holds the template to this list). */
    static final List<String> ALARMS = List.of("KeyOlderThanSchedule", "RotationFailed", "RotationRolledBack",
            "RotationExecutionFailed", "DeadLetterQueue",
            "RetiredKeyPastSafeAfter", "TripwireRescue");

    static final List<String> COMMAND_PREFIXES = List.of("./rotator ", "aws ", "curl ");

    record Entry(String heading, List<String> names, String body) {
    }

    // ------------------------------------------------------------------ what the code says exists

    static Set<String> errorNames() throws Exception {
        Set<String> names = new TreeSet<>(ErrorNamesTest.namesInReadme());
        for (String pkg : RECORDED_PACKAGES) {
            try (Stream<Path> files = Files.list(ErrorNamesTest.CLASSES.resolve(pkg))) {
                for (Path file : files.filter(f -> f.toString().endsWith(".class") && !f.toString().contains("$"))
                        .toList()) {
                    String name = pkg.replace('/', '.') + "." + file.getFileName().toString().replace(".class", "");
                    Class<?> type = Class.forName(name, false, RunbookTest.class.getClassLoader());
                    if (Throwable.class.isAssignableFrom(type) && Modifier.isPublic(type.getModifiers())
                            && !Modifier.isAbstract(type.getModifiers())) {
                        names.add(name);
                    }
                }
            }
        }
        // the errors ./rotator commands stop with (cli is built after this module: read from its sources)
        try (Stream<Path> files = Files.list(CLI_SOURCES)) {
            files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith("Exception.java"))
                    .forEach(f -> names.add("io.atlascmk.cli." + f.replace(".java", "")));
        }
        for (Path asl : STATE_MACHINES) {
            walk(Json.MAPPER.readTree(asl.toFile()), (key, value) -> {
                if (key.equals("ErrorEquals")) {
                    value.forEach(e -> {
                        if (!e.asText().equals("States.ALL")) {
                            names.add(e.asText());
                        }
                    });
                } else if (key.equals("Error") && value.isTextual()) {
                    names.add(value.asText()); // a Fail state's error, or one a Pass state sets
                }
            });
        }
        names.addAll(PLATFORM_ERRORS);
        return names;
    }

    static Set<String> eventNames() throws IOException {
        Set<String> names = new TreeSet<>();
        for (Path asl : STATE_MACHINES) {
            walk(Json.MAPPER.readTree(asl.toFile()), (key, value) -> {
                if (key.equals("DetailType")) {
                    names.add(value.asText());
                }
            });
        }
        names.addAll(detailTypeConstants());
        return names;
    }

    /** Every {@code ..._DETAIL_TYPE} constant of the functions: the events Java code publishes. */
    static Set<String> detailTypeConstants() throws IOException {
        Pattern constant = Pattern.compile("static final String \\w*DETAIL_TYPE\\s*=\\s*\"([^\"]+)\"");
        Set<String> names = new TreeSet<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Matcher m = constant.matcher(Files.readString(file));
                while (m.find()) {
                    names.add(m.group(1));
                }
            }
        }
        return names;
    }

    interface Visitor {
        void visit(String key, JsonNode value);
    }

    static void walk(JsonNode node, Visitor visitor) {
        if (node.isObject()) {
            node.fields().forEachRemaining(f -> {
                visitor.visit(f.getKey(), f.getValue());
                walk(f.getValue(), visitor);
            });
        } else if (node.isArray()) {
            node.forEach(n -> walk(n, visitor));
        }
    }

    static Set<String> knownNames() throws Exception {
        Set<String> known = new TreeSet<>(errorNames());
        known.addAll(eventNames());
        known.addAll(ALARMS);
        return known;
    }

    // ------------------------------------------------------------------ what the README says

    static String runbook() throws IOException {
        String readme = Files.readString(README);
        int start = readme.indexOf("<!-- runbook:start -->");
        int end = readme.indexOf("<!-- runbook:end -->");
        assertThat(start).as("README has the runbook markers").isNotNegative();
        assertThat(end).isGreaterThan(start);
        return readme.substring(start, end);
    }

    /** The runbook's entries: each {@code ####} heading up to the next heading (outside code blocks). */
    static List<Entry> entries() throws IOException {
        List<Entry> entries = new ArrayList<>();
        String heading = null;
        StringBuilder body = new StringBuilder();
        boolean fenced = false;
        for (String line : (runbook() + "\n#### end").split("\n", -1)) {
            if (line.startsWith("```")) {
                fenced = !fenced;
            }
            boolean isHeading = !fenced && line.matches("#{1,4} .*");
            if (isHeading && heading != null) {
                entries.add(entry(heading, body.toString()));
                heading = null;
            }
            if (isHeading && line.startsWith("#### ")) {
                heading = line.substring(5).trim();
                body.setLength(0);
            } else if (heading != null) {
                body.append(line).append('\n');
            }
        }
        assertThat(entries).as("runbook entries (#### headings)").isNotEmpty();
        return entries;
    }

    private static Entry entry(String heading, String body) {
        List<String> nameLines = body.lines().filter(l -> l.startsWith("**Names:**")).toList();
        assertThat(nameLines).as("entry '%s' has one **Names:** line", heading).hasSize(1);
        List<String> names = new ArrayList<>();
        Matcher m = Pattern.compile("`([^`]+)`").matcher(nameLines.get(0));
        while (m.find()) {
            names.add(m.group(1));
        }
        assertThat(names).as("names of entry '%s'", heading).isNotEmpty();
        return new Entry(heading, names, body);
    }

    /** The commands a text shows: code spans and code-block lines (continuations joined) starting with a command. */
    static List<String> commands(String text) {
        List<String> commands = new ArrayList<>();
        StringBuilder prose = new StringBuilder();
        StringBuilder line = new StringBuilder();
        boolean fenced = false;
        for (String l : text.split("\n", -1)) {
            if (l.startsWith("```")) {
                fenced = !fenced;
                continue;
            }
            if (!fenced) {
                prose.append(l).append('\n');
                continue;
            }
            String content = l.strip();
            if (content.endsWith("\\")) {
                line.append(content, 0, content.length() - 1).append(' ');
                continue;
            }
            line.append(content);
            addIfCommand(commands, line.toString().replaceFirst("\\s+#\\s.*$", ""));
            line.setLength(0);
        }
        Matcher span = Pattern.compile("`([^`]+)`").matcher(prose);
        while (span.find()) {
            addIfCommand(commands, span.group(1).replaceAll("\\s+", " ").strip());
        }
        return commands;
    }

    private static void addIfCommand(List<String> commands, String text) {
        if (COMMAND_PREFIXES.stream().anyMatch(text::startsWith)) {
            commands.add(text);
        }
    }

    // ------------------------------------------------------------------ the checks

    @Test
    void theCodeNamesWhatTheRunbookMustCover() throws Exception {
        assertThat(detailTypeConstants()).contains(KeyRescue.DETAIL_TYPE, KeyRescue.NOT_CANCELLED_DETAIL_TYPE,
                EventBridgeAlertPublisher.DETAIL_TYPE);
        assertThat(eventNames()).contains("Rotation Succeeded", "Rotation Failed", "Fleet Run Completed");
        assertThat(errorNames()).contains("io.atlascmk.rotator.atlas.AtlasUnavailableException", "Lambda.Unknown",
                "States.Timeout", "RotationRolledBack", "FleetPlanFailed", "UnexpectedStepResult");
    }

    @Test
    void everyErrorEventAndAlarmHasAnEntry() throws Exception {
        Set<String> documented = new TreeSet<>();
        entries().forEach(e -> documented.addAll(e.names()));
        List<String> missing = knownNames().stream().filter(n -> !documented.contains(n)).toList();
        assertThat(missing).as("names without an entry in the README's runbook").isEmpty();
    }

    @Test
    void noEntryNamesWhatNoLongerExists() throws Exception {
        Set<String> known = knownNames();
        Map<String, List<String>> stale = new LinkedHashMap<>();
        for (Entry e : entries()) {
            List<String> gone = e.names().stream().filter(n -> !known.contains(n)).toList();
            if (!gone.isEmpty()) {
                stale.put(e.heading(), gone);
            }
        }
        assertThat(stale).as("runbook names that no error, event or alarm has").isEmpty();
    }

    @Test
    void everyNameHasOneEntry() throws IOException {
        Map<String, List<String>> where = new HashMap<>();
        for (Entry e : entries()) {
            e.names().forEach(n -> where.computeIfAbsent(n, k -> new ArrayList<>()).add(e.heading()));
        }
        Map<String, List<String>> twice = new TreeMap<>();
        where.forEach((name, headings) -> {
            if (headings.size() > 1) {
                twice.put(name, headings);
            }
        });
        assertThat(twice).as("names in more than one entry").isEmpty();
    }

    @Test
    void everyEntrySaysWhatItMeansAndWhatToRun() throws IOException {
        List<String> incomplete = new ArrayList<>();
        for (Entry e : entries()) {
            boolean means = e.body().contains("**Means:**");
            boolean noAction = Pattern.compile("(?i)\\*\\*Do:\\*\\*\\s*no action").matcher(e.body()).find();
            boolean does = e.body().contains("**Do:**") && (noAction || !commands(e.body()).isEmpty());
            if (!means || !does) {
                incomplete.add(e.heading() + (means ? "" : " (no **Means:**)") + (does ? "" : " (no **Do:** with a command)"));
            }
        }
        assertThat(incomplete).as("entries without a meaning or a command").isEmpty();
    }

    @Test
    void everyRotatorCommandUsesOptionsItHas() throws IOException {
        Map<String, Set<String>> options = cliOptions();
        List<String> wrong = new ArrayList<>();
        List<String> rotatorCommands = commands(runbook()).stream().filter(c -> c.startsWith("./rotator ")).toList();
        assertThat(rotatorCommands).isNotEmpty();
        for (String command : rotatorCommands) {
            String[] words = command.split("\\s+");
            Set<String> known = options.get(words[1]);
            if (known == null) {
                wrong.add(command + ": no command '" + words[1] + "'");
                continue;
            }
            for (String word : words) {
                String option = word.replaceFirst("=.*$", "");
                if (option.startsWith("--") && !known.contains(option)) {
                    wrong.add(command + ": '" + words[1] + "' has no " + option);
                }
            }
        }
        assertThat(wrong).as("./rotator commands with options their command lacks").isEmpty();
    }

    /**
     * Each {@code ./rotator} command's options, read from the CLI's sources (this module cannot load them): the
     * {@code @Option} names of the file that declares the command, with those of its mixins; a file declaring
     * several commands (a command and its subcommands) gives them all its options.
     */
    static Map<String, Set<String>> cliOptions() throws IOException {
        Pattern commandName = Pattern.compile("@Command\\(\\s*name\\s*=\\s*\"([^\"]+)\"");
        Pattern optionNames = Pattern.compile("@Option\\(\\s*names\\s*=\\s*(\\{[^}]*\\}|\"[^\"]*\")");
        Pattern quoted = Pattern.compile("\"(-[^\"]+)\"");
        Pattern mixin = Pattern.compile("@Mixin\\s+(\\w+)");
        Map<String, String> sources = new HashMap<>();
        try (Stream<Path> files = Files.list(CLI_SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                sources.put(file.getFileName().toString().replace(".java", ""), Files.readString(file));
            }
        }
        Map<String, Set<String>> options = new HashMap<>();
        sources.values().forEach(source -> {
            Set<String> names = new TreeSet<>(List.of("--help", "--version"));
            List<String> texts = new ArrayList<>(List.of(source));
            Matcher mixins = mixin.matcher(source);
            while (mixins.find()) {
                texts.add(sources.getOrDefault(mixins.group(1), ""));
            }
            for (String text : texts) {
                Matcher o = optionNames.matcher(text);
                while (o.find()) {
                    Matcher q = quoted.matcher(o.group(1));
                    while (q.find()) {
                        names.add(q.group(1));
                    }
                }
            }
            Matcher c = commandName.matcher(source);
            while (c.find()) {
                options.computeIfAbsent(c.group(1), k -> new TreeSet<>()).addAll(names);
            }
        });
        assertThat(options).as("CLI commands read from " + CLI_SOURCES).containsKeys("start", "run", "status", "unlock");
        return options;
    }
}
