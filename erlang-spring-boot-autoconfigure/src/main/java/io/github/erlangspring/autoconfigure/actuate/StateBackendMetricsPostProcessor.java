package io.github.erlangspring.autoconfigure.actuate;

import io.github.erlangspring.metrics.ErlangNodeMetrics;
import io.github.erlangspring.state.StateBackend;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Wraps the application's {@link StateBackend} beans so their operations are timed by
 * {@link ErlangNodeMetrics}.
 */
final class StateBackendMetricsPostProcessor implements BeanPostProcessor {

	private final ObjectProvider<ErlangNodeMetrics> metrics;

	StateBackendMetricsPostProcessor(ObjectProvider<ErlangNodeMetrics> metrics) {
		this.metrics = metrics;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (bean instanceof StateBackend backend && !(bean instanceof ObservedStateBackend)) {
			ErlangNodeMetrics observer = this.metrics.getIfUnique();
			if (observer != null) {
				return new ObservedStateBackend(backend, observer);
			}
		}
		return bean;
	}

}
