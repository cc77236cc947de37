/**
 * The training run of the image's AOT cache: the service started with {@code bulkload.training.enabled=true} loads
 * every format, mode and method into a throw-away table through its own HTTP port, then exits, so the cache the JVM
 * writes at exit holds the classes and method profiles of real loads.
 */
package dev.bulkload.training;
