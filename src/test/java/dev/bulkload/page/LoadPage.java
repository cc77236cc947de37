package dev.bulkload.page;

import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/** The load page as a person uses it: controls found by their labels, waits for what the page says it is doing. */
final class LoadPage {

    final Browser browser;

    private LoadPage(Browser browser) {
        this.browser = browser;
    }

    /** Opens the page and waits for its table list. */
    static LoadPage open(Browser browser, int port) {
        browser.driver.get("http://localhost:" + port + "/");
        LoadPage page = new LoadPage(browser);
        await().atMost(Duration.ofSeconds(20))
            .until(() -> page.select("table").getOptions().size() > 1 || !page.text("table-info").isEmpty());
        return page;
    }

    WebElement byId(String id) {
        return this.browser.driver.findElement(By.id(id));
    }

    Select select(String id) {
        return new Select(byId(id));
    }

    String text(String id) {
        return byId(id).getText();
    }

    String attribute(String id, String name) {
        return byId(id).getAttribute(name);
    }

    /** The control a visible label names. */
    WebElement labelled(String label) {
        WebElement element = this.browser.driver.findElement(By.xpath("//label[normalize-space()='" + label + "']"));
        return byId(element.getAttribute("for"));
    }

    /** Chooses the table and the file, then waits until the preview has read the file. */
    void choose(String table, Path file) {
        new Select(labelled("Table")).selectByValue(table);
        labelled("File").sendKeys(file.toAbsolutePath().toString());
        awaitPreview();
    }

    void awaitPreview() {
        await().atMost(Duration.ofSeconds(20))
            .until(() -> !text("preview-info").isEmpty() && !text("preview-info").startsWith("Reading"));
    }

    /** Whether the table list offers the table (read in one script: the list may be refilled meanwhile). */
    boolean offersTable(String table) {
        return Boolean.TRUE.equals(this.browser.script(
                "return [...document.getElementById('table').options].some((o) => o.value === arguments[0])", table));
    }

    /** The preview's header cells. */
    List<String> previewFields() {
        return byId("preview").findElements(By.cssSelector("thead th")).stream().map(WebElement::getText).toList();
    }

    /** The preview's rows, each as its cells' text. */
    List<List<String>> previewRows() {
        return byId("preview").findElements(By.cssSelector("tbody tr"))
            .stream()
            .map((row) -> row.findElements(By.tagName("td")).stream().map(WebElement::getText).toList())
            .toList();
    }

    /** The select of the Columns section labelled with the field's name. */
    Select column(String field) {
        return new Select(byId("mapping").findElement(By.xpath(".//label[normalize-space()='" + field + "']"))
            .findElement(By.xpath("following-sibling::select")));
    }

    /** The fields the Columns section marks as meeting no column. */
    List<String> unmatchedFields() {
        return byId("mapping").findElements(By.cssSelector(".mapping-row.unmatched select"))
            .stream()
            .map((select) -> select.getAttribute("data-field"))
            .toList();
    }

    /** Waits until the page's state is one the load ends in and returns it. */
    String awaitEnd() {
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100))
            .until(() -> List.of("done", "failed", "invalid").contains(state()));
        return state();
    }

    String state() {
        return this.browser.driver.findElement(By.tagName("body")).getAttribute("data-state");
    }

    /** The result's outcome: loaded, loaded-with-rejects, checked, dry-run, failed, not-sent. */
    String outcome() {
        return attribute("result", "data-outcome");
    }

    long summary(String field) {
        return Long.parseLong(attribute("summary-" + field, "data-value"));
    }

    /** The records of the rejects listed in the result. */
    List<Long> rejectedRecords() {
        return this.browser.driver.findElements(By.cssSelector("#rejects tbody tr"))
            .stream()
            .map((row) -> Long.valueOf(row.getAttribute("data-record")))
            .toList();
    }

    String activeElementId() {
        return this.browser.driver.switchTo().activeElement().getAttribute("id");
    }
}
