/** What a load asks for: its parameters as sent (query and form fields), checked strictly, and the validated request. */
package dev.bulkload.options;
