package dev.bulkload.page;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's headless Chromium driven through its own chromedriver: both paths are given, so Selenium Manager never
 * looks for (or downloads) a browser or a driver. Without them installed the browser tests are skipped, saying so.
 */
final class Browser implements AutoCloseable {

    static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("BULKLOAD_TEST_CHROMIUM", "/usr/bin/chromium"));

    static final Path CHROMEDRIVER = Path.of(
            System.getenv().getOrDefault("BULKLOAD_TEST_CHROMEDRIVER", "/usr/bin/chromedriver"));

    /** Where tests leave screenshots of the page; the README's images are copied from here. */
    static final Path SCREENSHOTS = Path.of("target", "screenshots");

    final ChromeDriver driver;

    private Browser(ChromeDriver driver) {
        this.driver = driver;
    }

    /** A fresh headless browser of the given window size; skips the test when Chromium is not installed. */
    static Browser open(int width, int height) {
        boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        String missing = "Browser tests need Debian's chromium and chromium-driver (" + CHROMIUM + ", " + CHROMEDRIVER
                + "): apt-get install chromium chromium-driver; .ci/run installs them";
        if (!installed && Boolean.parseBoolean(System.getenv("BULKLOAD_REQUIRE_BROWSER"))) {
            throw new IllegalStateException(missing + " (BULKLOAD_REQUIRE_BROWSER is set, so this is a failure)");
        }
        assumeTrue(installed, missing);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--no-first-run", "--disable-extensions", "--window-size=" + width + "," + height);
        ChromeDriverService service = new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
        driver.manage().window().setSize(new Dimension(width, height));
        return new Browser(driver);
    }

    Object script(String script, Object... args) {
        return ((JavascriptExecutor) this.driver).executeScript(script, args);
    }

    Object asyncScript(String script, Object... args) {
        return ((JavascriptExecutor) this.driver).executeAsyncScript(script, args);
    }

    /** Saves what the browser shows as {@code target/screenshots/<name>.png}. */
    Path screenshot(String name) throws IOException {
        File shot = ((TakesScreenshot) this.driver).getScreenshotAs(OutputType.FILE);
        Files.createDirectories(SCREENSHOTS);
        Path target = SCREENSHOTS.resolve(name + ".png");
        Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
        return target;
    }

    @Override
    public void close() {
        this.driver.quit();
    }
}
