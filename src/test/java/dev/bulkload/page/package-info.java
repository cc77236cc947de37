/** The load page and Swagger UI, driven in a real headless Chromium. */
package dev.bulkload.page;
