package io.switchboard.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Code and docs cite the contract by section, as {@code docs/api.md §5 "REST"}: the number and the
 * start of that section's heading must still agree with docs/api.md. Sections get renumbered when one
 * is added; a bare number, or one of another document (the contract this repository implements is not
 * part of it), then points at the wrong place without anyone noticing.
 */
class ContractCitationsTest {

    private static final Path ROOT = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
    private static final Path API = Path.of("docs", "api.md");
    private static final Pattern SECTION = Pattern.compile("(?m)^## (\\d+)\\. (.+)$");
    private static final Pattern ANY_CITATION = Pattern.compile("(?i)api\\.md §");
    /** A quoted name; in a Java or JavaScript string literal its quotes are escaped. */
    private static final Pattern CITATION = Pattern.compile("(?:docs/)?api\\.md §(\\d+) \\\\?\"([^\"\\\\]+)\\\\?\"");
    private static final List<String> BINARY = List.of(".png", ".jpg", ".ico", ".jar", ".woff", ".woff2");

    @Test
    void everyCitationOfAContractSectionNamesItsNumberAndHeading() throws Exception {
        Map<String, String> sections = new LinkedHashMap<>();
        Matcher heading = SECTION.matcher(Files.readString(ROOT.resolve(API)));
        while (heading.find()) {
            sections.put(heading.group(1), heading.group(2));
        }
        assertTrue(sections.size() >= 8, "docs/api.md numbers its sections: " + sections);

        List<String> wrong = new ArrayList<>();
        int citations = 0;
        for (Path file : trackedFiles()) {
            String text;
            try {
                text = Files.readString(ROOT.resolve(file));
            } catch (MalformedInputException binary) {
                continue;
            }
            Matcher any = ANY_CITATION.matcher(text);
            while (any.find()) {
                citations++;
                int start = any.start() >= 5 && text.startsWith("docs/", any.start() - 5) ? any.start() - 5 : any.start();
                Matcher citation = CITATION.matcher(text).region(start, text.length());
                String where = file + ":" + (text.substring(0, any.start()).split("\n", -1).length);
                if (!citation.lookingAt() || !text.startsWith("api.md", any.start())) {
                    wrong.add(where + ": " + text.substring(any.start(), Math.min(text.length(), any.end() + 30))
                            .split("\n")[0] + " (give the number and the heading, as in docs/api.md §5 \"REST\")");
                    continue;
                }
                String section = sections.get(citation.group(1));
                if (section == null || !section.startsWith(citation.group(2))) {
                    wrong.add(where + ": §" + citation.group(1) + " \"" + citation.group(2) + "\", but docs/api.md has "
                            + (section == null ? "no such section" : "\"" + section + "\" there"));
                }
            }
        }
        assertTrue(citations > 20, "citations found: " + citations);
        assertEquals(List.of(), wrong);
    }

    private static List<Path> trackedFiles() throws IOException, InterruptedException {
        Process git = new ProcessBuilder("git", "ls-files", "-z", "--cached", "--others", "--exclude-standard")
                .directory(ROOT.toFile()).redirectErrorStream(false).start();
        String listed;
        try (InputStream out = git.getInputStream()) {
            listed = new String(out.readAllBytes(), StandardCharsets.UTF_8);
        }
        Stream<Path> files;
        if (git.waitFor(30, TimeUnit.SECONDS) && git.exitValue() == 0) {
            files = Arrays.stream(listed.split("\0")).filter(name -> !name.isEmpty()).map(Path::of);
        } else {
            // Not a git checkout (say, a source archive): every file but the build's and npm's.
            try (Stream<Path> walk = Files.walk(ROOT)) {
                files = walk.filter(Files::isRegularFile).map(ROOT::relativize)
                        .filter(file -> !file.startsWith("target") && !file.toString().contains("node_modules")
                                && !file.startsWith(".git"))
                        .toList().stream();
            }
        }
        return files.filter(file -> Files.isRegularFile(ROOT.resolve(file)))
                .filter(file -> BINARY.stream().noneMatch(file.toString()::endsWith)).toList();
    }
}
