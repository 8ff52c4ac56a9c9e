package io.switchboard.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The repository's docs stand alone: no relative link in a Markdown file leaves the repository or
 * names a file, folder or heading that does not exist. Web links are fine.
 */
class MarkdownLinksTest {

    private static final Path ROOT = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));

    @Test
    void everyRelativeLinkInTheRepositoryResolves() throws Exception {
        List<Path> files = markdownFiles();
        assertTrue(files.contains(Path.of("README.md")) && files.contains(Path.of("docs", "api.md")), files::toString);
        MarkdownLinks links = new MarkdownLinks(ROOT);
        List<String> problems = new ArrayList<>();
        for (Path file : files) {
            problems.addAll(links.problems(file));
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void aLinkOutOfTheRepositoryAMissingFileOrAMissingHeadingIsReported(@TempDir Path repository) throws IOException {
        Files.createDirectories(repository.resolve("docs"));
        Files.writeString(repository.resolve("docs/other.md"), "# Other\n\n## Some Part: `code`\n");
        Files.writeString(repository.resolve("docs/page.md"), String.join("\n",
                "# Page",
                "[contract](../../shared/API.md), [missing](nope.md), [fine](other.md#some-part-code),",
                "[no heading](other.md#elsewhere), [web](https://example.com/x.md), [here](#page),",
                "![image](img/none.png), `[in code](gone.md)`",
                "```",
                "[in a block](gone.md)",
                "```",
                "[ref]: ../README.md"));
        List<String> problems = new MarkdownLinks(repository).problems(Path.of("docs/page.md"));
        assertEquals(List.of(
                "docs/page.md: ../../shared/API.md leaves the repository",
                "docs/page.md: nope.md names a file that does not exist",
                "docs/page.md: other.md#elsewhere names a heading that docs/other.md does not have",
                "docs/page.md: img/none.png names a file that does not exist",
                "docs/page.md: ../README.md names a file that does not exist"), problems);
    }

    @Test
    void headingsGetGitHubsAnchors() {
        assertEquals(List.of("3-chathub-hubschat", "refusals-401-and-403", "api-keys", "api-keys-1"),
                new ArrayList<>(MarkdownLinks.anchors("## 3. ChatHub: `/hubs/chat`\n### Refusals: 401 and 403\n"
                        + "### API keys\n```\n# not a heading\n```\n### API keys\n")));
        assertFalse(MarkdownLinks.links("see `[x](y.md)`").contains("y.md"));
    }

    /** The Markdown files git tracks or would track (not the ignored ones, such as node_modules). */
    private static List<Path> markdownFiles() throws IOException, InterruptedException {
        Process git = new ProcessBuilder("git", "ls-files", "-z", "--cached", "--others", "--exclude-standard",
                "--", "*.md").directory(ROOT.toFile()).redirectErrorStream(false).start();
        String listed;
        try (InputStream out = git.getInputStream()) {
            listed = new String(out.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (git.waitFor(30, TimeUnit.SECONDS) && git.exitValue() == 0) {
            return Arrays.stream(listed.split("\0")).filter(name -> !name.isEmpty())
                    .map(Path::of).filter(file -> Files.exists(ROOT.resolve(file))).toList();
        }
        // Not a git checkout (say, a source archive): every Markdown file but the build's and npm's.
        try (Stream<Path> walk = Files.walk(ROOT)) {
            return walk.map(ROOT::relativize)
                    .filter(file -> file.toString().endsWith(".md"))
                    .filter(file -> !file.startsWith("target") && !file.toString().contains("node_modules")
                            && !file.startsWith(".git"))
                    .toList();
        }
    }
}
