package dev.bulkload.security;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns a start without any authentication configured into one clear line of what to set, not a stack trace. */
class NoAuthenticationFailureAnalyzer extends AbstractFailureAnalyzer<NoAuthenticationConfiguredException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, NoAuthenticationConfiguredException cause) {
        return new FailureAnalysis("bulk-loader refuses to start: bulkload.security.enabled is true (the default) "
                + "but neither API keys nor JWT validation is configured.",
                "To start, " + NoAuthenticationConfiguredException.WHAT_TO_SET + ".", cause);
    }
}
