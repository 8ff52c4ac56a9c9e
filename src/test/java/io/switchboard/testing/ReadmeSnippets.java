package io.switchboard.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The code blocks of README.md that tests run as written: each follows a line
 * {@code <!-- snippet: name -->}. Java snippets live in a test's source between
 * {@code // README: name} and {@code // README: end}, and must equal the README's block.
 */
public final class ReadmeSnippets {

    public static final Path ROOT = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));

    private ReadmeSnippets() {
    }

    /** The code of the README block called {@code name}, without its fences. */
    public static String block(String name) {
        Matcher block = Pattern.compile("<!-- snippet: " + Pattern.quote(name) + " -->\\n```[a-z]*\\n(.*?)\\n```\\n",
                Pattern.DOTALL).matcher(read(ROOT.resolve("README.md")));
        assertTrue(block.find(), "README.md has no code block marked <!-- snippet: " + name + " -->");
        return block.group(1);
    }

    /** The lines between {@code // README: name} and {@code // README: end} in {@code source}, unindented. */
    public static String region(Path source, String name) {
        List<String> lines = read(source).lines().toList();
        int start = lines.indexOf(lines.stream().filter(line -> line.strip().equals("// README: " + name))
                .findFirst().orElseThrow(() -> new AssertionError(source + " has no region " + name)));
        int end = start + 1;
        while (!lines.get(end).strip().equals("// README: end")) {
            end++;
        }
        List<String> region = lines.subList(start + 1, end);
        int indent = region.stream().filter(line -> !line.isBlank())
                .mapToInt(line -> line.length() - line.stripLeading().length()).min().orElse(0);
        return String.join("\n", region.stream().map(line -> line.isBlank() ? "" : line.substring(indent)).toList());
    }

    /** The inline {@code <script type="module">} of an HTML snippet. */
    public static String moduleScript(String html) {
        Matcher script = Pattern.compile("<script type=\"module\">\\n(.*?)</script>", Pattern.DOTALL).matcher(html);
        assertTrue(script.find(), "no <script type=\"module\"> in the snippet");
        return script.group(1);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
