package io.switchboard.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * deploy/README.md is what an operator reads next to the alert rules: its tables name every alert the
 * rules file defines and every Switchboard metric docs/api.md §7 "Metrics" lists, and nothing else.
 */
class DeployReadmeTest {

    private static final Path README = Path.of("deploy", "README.md");
    private static final Path ALERTS = Path.of("deploy", "prometheus", "switchboard-alerts.yaml");
    private static final Path API = Path.of("docs", "api.md");
    private static final Pattern OWN_METRIC = Pattern.compile("`((?:signalr|switchboard)_[a-z_]+)`");

    @Test
    void theAlertsTableNamesEveryAlertOfTheRules() throws IOException {
        Set<String> rules = new TreeSet<>();
        for (JsonNode group : new YAMLMapper().readTree(ALERTS.toFile()).path("spec").path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                rules.add(rule.path("alert").asText());
            }
        }
        assertTrue(rules.size() >= 5, rules::toString);
        assertEquals(rules, firstColumn(section(Files.readString(README), "## Alerts"), Pattern.compile("`(\\w+)`")));
    }

    @Test
    void theMetricsTableNamesEveryMetricOfTheContract() throws IOException {
        Set<String> contract = firstColumn(section(Files.readString(API), "## 7. Metrics"), OWN_METRIC);
        assertTrue(contract.size() >= 10, contract::toString);
        assertEquals(contract, firstColumn(section(Files.readString(README), "## Metrics"), OWN_METRIC));
    }

    /** From {@code heading} to the next heading of the same level or higher. */
    private static String section(String markdown, String heading) {
        int start = markdown.indexOf("\n" + heading);
        assertTrue(start >= 0, "no section " + heading);
        String level = heading.substring(0, heading.indexOf(' ') + 1);
        int end = markdown.indexOf("\n" + level, start + 1);
        return markdown.substring(start, end < 0 ? markdown.length() : end);
    }

    /** What {@code name} finds in the first cell of each table row. */
    private static Set<String> firstColumn(String section, Pattern name) {
        Set<String> names = new TreeSet<>();
        for (String line : section.lines().toList()) {
            String[] cells = line.split("\\|");
            if (line.startsWith("|") && cells.length > 1) {
                Matcher found = name.matcher(cells[1]);
                while (found.find()) {
                    names.add(found.group(1));
                }
            }
        }
        return names;
    }
}
