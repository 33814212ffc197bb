package io.github.erlangspring.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains why the Erlang node did not start, instead of a stack trace.
 */
class ErlangNodeFailureAnalyzer extends AbstractFailureAnalyzer<ErlangNodeStartException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, ErlangNodeStartException cause) {
		return new FailureAnalysis(cause.getMessage(), cause.getAction(), cause);
	}

}
