package io.switchboard.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Helm chart, linted and rendered by Helm itself (helm-java, no helm binary) for the default
 * values, deploy/'s production values and every value set in helm/switchboard/ci, and checked against
 * the running application: probes hit paths the application serves on the port it listens on, and
 * every environment variable the chart sets is a setting the application reads at run time.
 */
@QuarkusTest
class HelmChartTest {

    private static final Path CHART = Path.of("helm", "switchboard");
    /** Without a Kubernetes version, Helm renders for 1.20, below the chart's kubeVersion. */
    private static final String KUBE_VERSION = "1.30.0";
    private static final YAMLMapper YAML = new YAMLMapper();

    /**
     * Settings the contract (docs/api.md §2 "Identity": the first admin) requires and another change is adding to the
     * application right now. Each must leave this list when the application defines it: the test
     * fails for a name listed here that the application already reads.
     */
    private static final Set<String> BEING_ADDED = Set.of();

    private static ApplicationSettings settings;

    @TestHTTPResource(value = "/", management = true)
    URL management;

    @BeforeAll
    static void readTheApplicationsSettings() {
        settings = ApplicationSettings.load();
        assertTrue(settings.size() > 500, "the Quarkus configuration model was found: " + settings.size());
    }

    /** Value files by path ("" for the chart's defaults alone). */
    static Stream<Named<String>> valueSets() throws IOException {
        List<Named<String>> sets = new ArrayList<>();
        sets.add(Named.of("default values", ""));
        sets.add(Named.of("deploy/values-production.yaml", "deploy/values-production.yaml"));
        try (Stream<Path> ci = Files.list(CHART.resolve("ci"))) {
            ci.filter(file -> file.toString().endsWith(".yaml")).sorted()
                    .forEach(file -> sets.add(Named.of("ci/" + file.getFileName(), file.toString())));
        }
        return sets.stream();
    }

    // ---------------------------------------------------------------------------- lint and render

    @ParameterizedTest
    @MethodSource("valueSets")
    void lintsCleanInStrictMode(String values) throws IOException {
        // helm-java lints a chart with its own values.yaml: lint a copy whose values are these.
        Path copy = Files.createTempDirectory(Path.of("target"), "chart-lint-");
        copyChart(copy);
        if (!values.isEmpty()) {
            YAML.writeValue(copy.resolve("values.yaml").toFile(),
                    merge(YAML.readTree(CHART.resolve("values.yaml").toFile()), YAML.readTree(Path.of(values).toFile())));
        }
        LintResult result;
        try {
            result = new Helm(copy).lint().strict().call();
        } finally {
            deleteRecursively(copy);
        }
        assertFalse(result.isFailed(), () -> String.join("\n", result.getMessages()));
        assertTrue(result.getMessages().stream().noneMatch(line -> line.contains("[WARNING]") || line.contains("[ERROR]")),
                () -> String.join("\n", result.getMessages()));
    }

    @ParameterizedTest
    @MethodSource("valueSets")
    void everyRenderedDocumentIsAKubernetesObject(String values) {
        List<JsonNode> documents = render(values);
        assertTrue(documents.size() >= 4, "rendered " + documents.size() + " documents");
        for (JsonNode document : documents) {
            assertTrue(document.hasNonNull("apiVersion") && document.hasNonNull("kind"), document::toString);
            assertFalse(document.path("metadata").path("name").asText().isEmpty(), document::toString);
        }
    }

    @ParameterizedTest
    @MethodSource("valueSets")
    void probesHitPathsTheApplicationServesOnItsManagementPort(String values) {
        List<JsonNode> documents = render(values);
        JsonNode container = container(documents);
        int managementPort = containerPort(container, "management");
        String configured = environment(documents).getOrDefault("QUARKUS_MANAGEMENT_PORT",
                ConfigProvider.getConfig().getValue("quarkus.management.port", String.class));
        assertEquals(Integer.parseInt(configured), managementPort, "the management container port is where it listens");
        for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
            JsonNode httpGet = container.path(probe).path("httpGet");
            assertEquals("management", httpGet.path("port").asText(), probe + " uses the management port");
            String path = httpGet.path("path").asText();
            assertEquals(200, get(URI.create(management.toString()).resolve(path)), probe + " " + path);
        }
    }

    @ParameterizedTest
    @MethodSource("valueSets")
    void everyEnvironmentVariableIsASettingTheApplicationReadsAtRunTime(String values) {
        Map<String, String> environment = environment(render(values));
        assertFalse(environment.isEmpty());
        List<String> problems = new ArrayList<>();
        for (String name : environment.keySet()) {
            var setting = settings.settingFor(name);
            if (BEING_ADDED.contains(name)) {
                setting.ifPresent(found -> problems.add(name + " is now read by the application ("
                        + found.property() + "): remove it from HelmChartTest.BEING_ADDED"));
            } else if (setting.isEmpty()) {
                problems.add(name + " names no setting of the application");
            } else if (!setting.get().runTime()) {
                problems.add(name + " (" + setting.get().property() + ") is fixed at build time");
            }
        }
        assertTrue(problems.isEmpty(), () -> String.join("\n", problems));
    }

    @ParameterizedTest
    @MethodSource("valueSets")
    void servicesIngressAndMonitorReferToPortsThatExist(String values) {
        List<JsonNode> documents = render(values);
        JsonNode container = container(documents);
        JsonNode service = only(documents, "Service");
        Set<String> servicePorts = new TreeSet<>();
        for (JsonNode port : service.path("spec").path("ports")) {
            servicePorts.add(port.path("name").asText());
            containerPort(container, port.path("targetPort").asText());
        }
        for (JsonNode document : documents) {
            switch (document.path("kind").asText()) {
                case "Ingress" -> document.path("spec").path("rules").forEach(rule -> rule.path("http").path("paths")
                        .forEach(path -> assertEquals("http", path.path("backend").path("service").path("port")
                                .path("name").asText(), "the Ingress carries client traffic only")));
                case "ServiceMonitor" -> document.path("spec").path("endpoints").forEach(endpoint -> {
                    assertTrue(servicePorts.contains(endpoint.path("port").asText()));
                    assertEquals(200, get(URI.create(management.toString()).resolve(endpoint.path("path").asText())));
                });
                default -> {
                }
            }
        }
    }

    // ---------------------------------------------------------------------------- replicas and Redis

    @Test
    void theDefaultsRenderOneReplicaWithoutRedis() {
        List<JsonNode> documents = render("");
        assertEquals(1, only(documents, "Deployment").path("spec").path("replicas").asInt());
        assertFalse(environment(documents).containsKey("QUARKUS_REDIS_HOSTS"));
        assertTrue(documents.stream().noneMatch(document -> document.path("kind").asText().equals("HorizontalPodAutoscaler")));
    }

    @Test
    void moreThanOneReplicaWithoutRedisIsRefused() {
        String message = renderFailure(Map.of("replicaCount", 3));
        assertTrue(message.contains("up to 3 replicas without Redis: more than one replica needs the Redis backplane"),
                message);
        assertTrue(message.contains("Set redis.hosts (or redis.existingSecret), or run one replica"), message);
    }

    @Test
    void autoscalingWithoutRedisIsRefused() {
        String message = renderFailure(Map.of("autoscaling.enabled", true));
        assertTrue(message.contains("up to 10 replicas without Redis"), message);
    }

    @Test
    void aGracePeriodShorterThanTheShutdownIsRefused() {
        String message = renderFailure(Map.of("terminationGracePeriodSeconds", 20));
        assertTrue(message.contains("terminationGracePeriodSeconds (20) must exceed"), message);
    }

    @Test
    void threeReplicasWithRedisRender() {
        TemplateCommand command = template().set("replicaCount", 3).set("redis.hosts", "redis://redis:6379");
        List<JsonNode> documents = parse(command.call());
        assertEquals(3, only(documents, "Deployment").path("spec").path("replicas").asInt());
        assertEquals("redis://redis:6379", environment(documents).get("QUARKUS_REDIS_HOSTS"));
    }

    // ---------------------------------------------------------------------------- documentation

    @Test
    void everyValueIsDocumentedInTheChartReadme() throws IOException {
        String readme = Files.readString(CHART.resolve("README.md"));
        List<String> missing = new ArrayList<>();
        for (String key : keys(YAML.readTree(CHART.resolve("values.yaml").toFile()), "")) {
            if (!readme.contains("| `" + key + "` |")) {
                missing.add(key);
            }
        }
        assertTrue(missing.isEmpty(), "values missing from helm/switchboard/README.md: " + missing);
    }

    // ---------------------------------------------------------------------------- helpers

    private static TemplateCommand template() {
        return new Helm(CHART).template().withName("sb").withNamespace("switchboard").withKubeVersion(KUBE_VERSION);
    }

    private static List<JsonNode> render(String values) {
        TemplateCommand command = template();
        if (!values.isEmpty()) {
            command.withValuesFile(Path.of(values));
        }
        return parse(command.call());
    }

    private static String renderFailure(Map<String, Object> values) {
        TemplateCommand command = template();
        values.forEach(command::set);
        return assertThrows(IllegalStateException.class, command::call).getMessage();
    }

    /** Every YAML document of the output; each must parse. */
    private static List<JsonNode> parse(String manifests) {
        List<JsonNode> documents = new ArrayList<>();
        try (var parser = new YAMLFactory().createParser(manifests)) {
            Iterator<JsonNode> all = YAML.readValues(parser, JsonNode.class);
            while (all.hasNext()) {
                JsonNode document = all.next();
                if (document != null && !document.isNull() && !document.isEmpty()) {
                    documents.add(document);
                }
            }
        } catch (IOException e) {
            fail("the rendered chart is not valid YAML: " + e.getMessage() + "\n" + manifests);
        }
        return documents;
    }

    private static JsonNode only(List<JsonNode> documents, String kind) {
        List<JsonNode> found = documents.stream().filter(document -> document.path("kind").asText().equals(kind)).toList();
        assertEquals(1, found.size(), "one " + kind);
        return found.get(0);
    }

    private static JsonNode container(List<JsonNode> documents) {
        JsonNode containers = only(documents, "Deployment").path("spec").path("template").path("spec").path("containers");
        assertEquals(1, containers.size());
        return containers.get(0);
    }

    private static int containerPort(JsonNode container, String name) {
        for (JsonNode port : container.path("ports")) {
            if (port.path("name").asText().equals(name)) {
                return port.path("containerPort").asInt();
            }
        }
        return fail("no container port named " + name);
    }

    /** What the container's environment holds: the chart's ConfigMap (envFrom) and its env entries. */
    private static Map<String, String> environment(List<JsonNode> documents) {
        JsonNode container = container(documents);
        Set<String> configMaps = new TreeSet<>();
        container.path("envFrom").forEach(source -> configMaps.add(source.path("configMapRef").path("name").asText()));
        Map<String, String> environment = new LinkedHashMap<>();
        for (JsonNode document : documents) {
            if (document.path("kind").asText().equals("ConfigMap")
                    && configMaps.contains(document.path("metadata").path("name").asText())) {
                document.path("data").fields().forEachRemaining(entry -> environment.put(entry.getKey(), entry.getValue().asText()));
            }
        }
        container.path("env").forEach(variable -> environment.put(variable.path("name").asText(),
                variable.path("value").asText("(from " + variable.path("valueFrom").fieldNames().next() + ")")));
        return environment;
    }

    private static int get(URI uri) {
        try {
            // HTTP/1.1, as probes and Prometheus speak it: the JDK client's default h2c upgrade now and then
            // gets a garbled answer from the management interface ("Frame type(117) ... exceeds MAX_FRAME_SIZE").
            return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                    .send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return fail(uri + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail(e);
        }
    }

    /** Helm's value merge: maps merge key by key, anything else is replaced, null removes. */
    private static JsonNode merge(JsonNode base, JsonNode override) {
        if (!(base instanceof ObjectNode target) || override == null || !override.isObject()) {
            return override;
        }
        ObjectNode merged = target.deepCopy();
        override.fields().forEachRemaining(entry -> {
            if (entry.getValue().isNull()) {
                merged.remove(entry.getKey());
            } else {
                merged.set(entry.getKey(), merge(merged.get(entry.getKey()), entry.getValue()));
            }
        });
        return merged;
    }

    /** Every key path of a values tree: maps are walked into, unless empty; anything else is a leaf. */
    private static List<String> keys(JsonNode node, String prefix) {
        List<String> keys = new ArrayList<>();
        node.fields().forEachRemaining(entry -> {
            String key = prefix + entry.getKey();
            keys.add(key);
            if (entry.getValue().isObject() && !entry.getValue().isEmpty() && !FREE_FORM.contains(key)) {
                keys.addAll(keys(entry.getValue(), key + "."));
            }
        });
        return keys;
    }

    /** Values passed to Kubernetes as they are: documented as a whole, not key by key. */
    private static final Set<String> FREE_FORM = Set.of("strategy", "resources", "livenessProbe", "readinessProbe",
            "startupProbe", "podSecurityContext", "securityContext", "autoscaling.behavior");

    private static void deleteRecursively(Path directory) throws IOException {
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }

    private static void copyChart(Path target) throws IOException {
        try (Stream<Path> files = Files.walk(CHART)) {
            for (Path file : files.toList()) {
                Path to = target.resolve(CHART.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(file, to);
                }
            }
        }
    }
}
