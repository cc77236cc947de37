package dev.bulkload;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The README and the pages under {@code docs/} link each other by relative paths and heading anchors: every such
 * link must reach a file that exists and, where it names a heading, a heading that exists (as GitHub writes its
 * anchor), so moving or renaming a section cannot leave a newcomer at a dead link.
 */
class DocumentationLinksTests {

    private static final Pattern LINK = Pattern.compile("!?\\[[^\\]]*\\]\\(([^)\\s]+)\\)");
    private static final Pattern HEADING = Pattern.compile("^#{1,6} (.+)$");

    private final Map<Path, Set<String>> anchors = new HashMap<>();

    @Test
    void everyRelativeLinkReachesAFileAndHeadingThatExist() {
        List<String> broken = new ArrayList<>();
        for (Path page : pages()) {
            for (String target : links(page)) {
                if (target.matches("^[a-zA-Z][a-zA-Z+.-]*:.*")) {
                    continue; // http:, https:, mailto: — not ours to check offline
                }
                int hash = target.indexOf('#');
                String file = (hash < 0) ? target : target.substring(0, hash);
                String anchor = (hash < 0) ? null : target.substring(hash + 1);
                Path resolved = file.isEmpty() ? page : page.toAbsolutePath().getParent().resolve(file).normalize();
                if (!Files.exists(resolved)) {
                    broken.add(page + ": " + target + " (no file " + resolved + ")");
                } else if (anchor != null && resolved.toString().endsWith(".md")
                        && !anchorsOf(resolved).contains(anchor)) {
                    broken.add(page + ": " + target + " (no heading #" + anchor + " in " + resolved + ")");
                }
            }
        }
        assertThat(broken).isEmpty();
    }

    @Test
    void theReadmeLinksEveryPageOfTheDocs() {
        List<String> linked = links(Path.of("README.md")).stream()
            .map(target -> target.replaceFirst("#.*", ""))
            .toList();
        try (Stream<Path> docs = Files.list(Path.of("docs"))) {
            List<String> pages = docs.filter(p -> p.toString().endsWith(".md"))
                .map(p -> "docs/" + p.getFileName())
                .toList();
            assertThat(pages).isNotEmpty();
            assertThat(linked).containsAll(pages);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void theReadmeStaysAnIntroduction() throws IOException {
        assertThat(Files.readAllLines(Path.of("README.md"))).hasSizeLessThan(250);
    }

    @Test
    void anchorsAreWrittenAsGitHubWritesThem() {
        assertThat(slug("Retrying safely (Idempotency-Key)")).isEqualTo("retrying-safely-idempotency-key");
        assertThat(slug("dateStyle: day first, month first")).isEqualTo("datestyle-day-first-month-first");
        assertThat(slug("Renaming and dropping fields: `map`")).isEqualTo("renaming-and-dropping-fields-map");
    }

    private static List<Path> pages() {
        List<Path> pages = new ArrayList<>(List.of(Path.of("README.md"), Path.of("bench/README.md"), Path.of("bench/HISTORY.md")));
        try (Stream<Path> docs = Files.list(Path.of("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return pages;
    }

    /** The link targets of a page, outside fenced code blocks. */
    private static List<String> links(Path page) {
        List<String> targets = new ArrayList<>();
        boolean fenced = false;
        for (String line : lines(page)) {
            if (line.startsWith("```")) {
                fenced = !fenced;
                continue;
            }
            if (fenced) {
                continue;
            }
            Matcher link = LINK.matcher(line.replaceAll("`[^`]*`", ""));
            while (link.find()) {
                targets.add(link.group(1));
            }
        }
        return targets;
    }

    private Set<String> anchorsOf(Path page) {
        return this.anchors.computeIfAbsent(page, p -> {
            Set<String> found = new HashSet<>();
            Map<String, Integer> seen = new HashMap<>();
            boolean fenced = false;
            for (String line : lines(p)) {
                if (line.startsWith("```")) {
                    fenced = !fenced;
                }
                Matcher heading = HEADING.matcher(line);
                if (!fenced && heading.matches()) {
                    String slug = slug(heading.group(1));
                    int times = seen.merge(slug, 1, Integer::sum);
                    found.add((times == 1) ? slug : slug + "-" + (times - 1));
                }
            }
            return found;
        });
    }

    /** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
    private static String slug(String heading) {
        return heading.strip().toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
    }

    private static List<String> lines(Path page) {
        try {
            return Files.readAllLines(page);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
