package io.switchboard.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks the links of Markdown files: a relative link must stay inside the repository and name a file
 * or folder that exists, and a {@code #fragment} into a Markdown file a heading it has. Web links
 * ({@code https:}, {@code mailto:} and the like) are not followed.
 */
final class MarkdownLinks {

    private static final Pattern FENCE = Pattern.compile("^\\s*(```|~~~)");
    private static final Pattern INLINE_CODE = Pattern.compile("`+[^`]*`+");
    private static final Pattern INLINE_LINK = Pattern.compile("!?\\[[^\\]]*]\\(\\s*<?([^)\\s>]+)>?(?:\\s+\"[^\"]*\")?\\s*\\)");
    private static final Pattern REFERENCE = Pattern.compile("^\\s{0,3}\\[[^\\]]+]:\\s*<?(\\S+?)>?(?:\\s.*)?$");
    private static final Pattern HTML_LINK = Pattern.compile("(?:href|src)=\"([^\"]+)\"");
    private static final Pattern SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:");
    private static final Pattern HEADING = Pattern.compile("^\\s{0,3}(#{1,6})\\s+(.*?)\\s*#*\\s*$");

    private final Path root;
    private final Map<Path, Set<String>> anchors = new HashMap<>();

    MarkdownLinks(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** What is wrong with the links of {@code file}: one line each, empty when all resolve. */
    List<String> problems(Path file) {
        Path absolute = root.resolve(file).normalize();
        List<String> problems = new ArrayList<>();
        for (String target : links(read(absolute))) {
            problem(absolute, target).ifPresent(problem -> problems.add(root.relativize(absolute) + ": " + target
                    + " " + problem));
        }
        return problems;
    }

    private java.util.Optional<String> problem(Path file, String target) {
        if (SCHEME.matcher(target).find() || target.startsWith("//")) {
            return java.util.Optional.empty();
        }
        int hash = target.indexOf('#');
        String path = hash < 0 ? target : target.substring(0, hash);
        String fragment = hash < 0 ? null : target.substring(hash + 1);
        int query = path.indexOf('?');
        if (query >= 0) {
            path = path.substring(0, query);
        }
        Path resolved = path.isEmpty() ? file
                : (path.startsWith("/") ? root.resolve(path.substring(1)) : file.getParent().resolve(path)).normalize();
        if (!resolved.startsWith(root)) {
            return java.util.Optional.of("leaves the repository");
        }
        if (!Files.exists(resolved)) {
            return java.util.Optional.of("names a file that does not exist");
        }
        if (fragment != null && !fragment.isEmpty() && resolved.toString().endsWith(".md")
                && !anchorsOf(resolved).contains(fragment)) {
            return java.util.Optional.of("names a heading that " + root.relativize(resolved) + " does not have");
        }
        return java.util.Optional.empty();
    }

    /** The link targets of a Markdown text, outside code blocks and code spans. */
    static List<String> links(String markdown) {
        List<String> targets = new ArrayList<>();
        boolean inFence = false;
        for (String line : markdown.split("\n", -1)) {
            if (FENCE.matcher(line).find()) {
                inFence = !inFence;
                continue;
            }
            if (inFence) {
                continue;
            }
            String text = INLINE_CODE.matcher(line).replaceAll("");
            for (Pattern pattern : List.of(INLINE_LINK, HTML_LINK)) {
                Matcher link = pattern.matcher(text);
                while (link.find()) {
                    targets.add(link.group(1));
                }
            }
            Matcher reference = REFERENCE.matcher(text);
            if (reference.matches()) {
                targets.add(reference.group(1));
            }
        }
        return targets;
    }

    private Set<String> anchorsOf(Path markdown) {
        return anchors.computeIfAbsent(markdown, file -> anchors(read(file)));
    }

    /** The anchors GitHub gives a document's headings: lower case, punctuation dropped, spaces to dashes. */
    static Set<String> anchors(String markdown) {
        Set<String> anchors = new LinkedHashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        boolean inFence = false;
        for (String line : markdown.split("\n", -1)) {
            if (FENCE.matcher(line).find()) {
                inFence = !inFence;
                continue;
            }
            Matcher heading = HEADING.matcher(line);
            if (inFence || !heading.matches()) {
                continue;
            }
            String text = heading.group(2).replaceAll("!?\\[([^\\]]*)]\\([^)]*\\)", "$1");
            String slug = text.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
            int count = seen.merge(slug, 1, Integer::sum);
            anchors.add(count == 1 ? slug : slug + "-" + (count - 1));
        }
        return anchors;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
