package io.switchboard.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.ConfigMappings;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.config.Names;
import org.jboss.jandex.AnnotationInstance;
import org.jboss.jandex.AnnotationValue;
import org.jboss.jandex.DotName;
import org.jboss.jandex.Index;
import org.jboss.jandex.Indexer;

/**
 * Every setting the application reads, as the environment variables that set them, gathered from the
 * application itself rather than from a list kept by hand:
 *
 * <ul>
 *   <li>the Quarkus configuration model every extension on the classpath ships
 *       ({@code META-INF/quarkus-config-doc/quarkus-config-model.json}), with the phase of each
 *       property: one fixed at build time cannot be changed by an environment variable;</li>
 *   <li>the application's {@code @ConfigMapping} interfaces (the {@code switchboard.*} settings), read
 *       by SmallRye Config itself;</li>
 *   <li>the names in the application's {@code @ConfigProperty} injection points and in
 *       {@code ${...}} expressions of its annotations (such as {@code @Scheduled} intervals);</li>
 *   <li>the MicroProfile JWT names ({@link Names}), which SmallRye JWT reads;</li>
 *   <li>the keys of {@code application.properties}, in any profile.</li>
 * </ul>
 */
final class ApplicationSettings {

    /**
     * A setting, as a pattern over environment variable names (map keys match any name).
     *
     * @param quarkus from the Quarkus configuration model, which alone knows the phase
     */
    record Setting(String property, Pattern environmentVariable, boolean runTime, boolean quarkus, String source) {
    }

    private static final Path CLASSES = Path.of("target", "classes");
    private static final Path APPLICATION_PROPERTIES = Path.of("src", "main", "resources", "application.properties");
    private static final DotName CONFIG_MAPPING = DotName.createSimple(ConfigMapping.class.getName());
    private static final DotName CONFIG_PROPERTY = DotName.createSimple(ConfigProperty.class.getName());
    private static final Pattern EXPRESSION = Pattern.compile("\\$\\{([^:}]+)");
    private static final Pattern QUOTED_KEY = Pattern.compile("\"[^\"]*\"");

    private final List<Setting> settings;

    private ApplicationSettings(List<Setting> settings) {
        this.settings = List.copyOf(settings);
    }

    static ApplicationSettings load() {
        List<Setting> settings = new ArrayList<>();
        quarkusModel(settings);
        Index classes = indexApplicationClasses();
        configMappings(classes, settings);
        annotationNames(classes, settings);
        for (Field field : Names.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
                settings.add(setting(constant(field), true, "MicroProfile JWT"));
            }
        }
        applicationProperties(settings);
        return new ApplicationSettings(settings);
    }

    int size() {
        return settings.size();
    }

    /**
     * The setting an environment variable sets. The Quarkus model decides when it knows the name (an
     * application.properties entry does not make a build-time property changeable), and an exact name
     * wins over a map pattern.
     */
    Optional<Setting> settingFor(String environmentVariable) {
        List<Setting> matching = settings.stream()
                .filter(setting -> setting.environmentVariable().matcher(environmentVariable).matches())
                .sorted(Comparator.comparing((Setting setting) -> !setting.quarkus())
                        .thenComparing(setting -> !setting.environmentVariable().pattern()
                                .equals(Pattern.quote(environmentVariable)))
                        .thenComparing(setting -> !setting.runTime()))
                .toList();
        return matching.stream().findFirst();
    }

    // ------------------------------------------------------------------------------------ sources

    private static void quarkusModel(List<Setting> settings) {
        ObjectMapper json = new ObjectMapper();
        try {
            for (URL model : Collections.list(Thread.currentThread().getContextClassLoader()
                    .getResources("META-INF/quarkus-config-doc/quarkus-config-model.json"))) {
                try (InputStream in = model.openStream()) {
                    collectProperties(json.readTree(in), settings, model.getPath());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void collectProperties(JsonNode node, List<Setting> settings, String source) {
        if (node.isObject() && node.path("path").has("property")) {
            boolean runTime = "RUN_TIME".equals(node.path("phase").asText());
            settings.add(quarkusSetting(node.path("path").path("property").asText(), runTime, source));
            for (JsonNode path : node.path("additionalPaths")) {
                settings.add(quarkusSetting(path.path("property").asText(), runTime, source));
            }
        }
        node.forEach(child -> collectProperties(child, settings, source));
    }

    private static Index indexApplicationClasses() {
        Indexer indexer = new Indexer();
        try (Stream<Path> files = Files.walk(CLASSES)) {
            for (Path file : files.filter(path -> path.toString().endsWith(".class")).toList()) {
                try (InputStream in = Files.newInputStream(file)) {
                    indexer.index(in);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Compile the application first (target/classes)", e);
        }
        return indexer.complete();
    }

    private static void configMappings(Index classes, List<Setting> settings) {
        for (AnnotationInstance mapping : classes.getAnnotations(CONFIG_MAPPING)) {
            String type = mapping.target().asClass().name().toString();
            String prefix = mapping.value("prefix") == null ? "" : mapping.value("prefix").asString();
            try {
                Class<?> mapped = Class.forName(type, false, Thread.currentThread().getContextClassLoader());
                for (String property : ConfigMappings.getProperties(new ConfigMappings.ConfigClass(mapped, prefix)).keySet()) {
                    settings.add(setting(property, true, type));
                }
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static void annotationNames(Index classes, List<Setting> settings) {
        for (AnnotationInstance property : classes.getAnnotations(CONFIG_PROPERTY)) {
            settings.add(setting(property.value("name").asString(), true, "@ConfigProperty"));
        }
        for (var type : classes.getKnownClasses()) {
            for (AnnotationInstance annotation : type.annotations()) {
                for (AnnotationValue value : annotation.values()) {
                    if (value.kind() == AnnotationValue.Kind.STRING) {
                        Matcher expression = EXPRESSION.matcher(value.asString());
                        while (expression.find()) {
                            settings.add(setting(expression.group(1), true, "${...} in " + type.name()));
                        }
                    }
                }
            }
        }
    }

    private static void applicationProperties(List<Setting> settings) {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(APPLICATION_PROPERTIES)) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (String key : properties.stringPropertyNames()) {
            String property = key.startsWith("%") ? key.substring(key.indexOf('.') + 1) : key;
            settings.add(setting(property, true, "application.properties"));
        }
    }

    // ------------------------------------------------------------------------------------ names

    /**
     * The environment variable pattern of a property name, as SmallRye Config maps them: upper case,
     * every other character an underscore; a map key ({@code "name"} or {@code *}) and a list index
     * ({@code [*]}) stand for any name.
     */
    static Pattern environmentPattern(String property) {
        String marked = QUOTED_KEY.matcher(property).replaceAll("\u0001")
                .replace("[*]", "\u0002").replace("*", "\u0001");
        StringBuilder regex = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (char c : marked.toCharArray()) {
            if (c == '\u0001' || c == '\u0002') {
                regex.append(Pattern.quote(literal.toString()));
                literal.setLength(0);
                regex.append(c == '\u0001' ? "[A-Z0-9_]+" : "_[0-9]+_");
            } else {
                literal.append(Character.isLetterOrDigit(c) ? Character.toUpperCase(c) : '_');
            }
        }
        if (regex.isEmpty()) {
            return Pattern.compile(Pattern.quote(literal.toString().toUpperCase(Locale.ROOT)));
        }
        regex.append(Pattern.quote(literal.toString()));
        return Pattern.compile(regex.toString());
    }

    private static Setting setting(String property, boolean runTime, String source) {
        return new Setting(property, environmentPattern(property), runTime, false, source);
    }

    private static Setting quarkusSetting(String property, boolean runTime, String source) {
        return new Setting(property, environmentPattern(property), runTime, true, source);
    }

    private static String constant(Field field) {
        try {
            return (String) field.get(null);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }
}
