package io.github.erlangspring.autoconfigure.actuate;

import java.util.Set;

import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Keeps the Erlang cookie out of Actuator's {@code env} and {@code configprops} endpoints even
 * when they are set to show values ({@code management.endpoint.env.show-values=always}).
 */
@AutoConfiguration
@ConditionalOnClass(SanitizingFunction.class)
public class ErlangSanitizingAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "erlangCookieSanitizingFunction")
	SanitizingFunction erlangCookieSanitizingFunction() {
		return new CookieSanitizingFunction();
	}

	/** Masks {@code erlang.cookie}, its environment variable, and the bound property. */
	static final class CookieSanitizingFunction implements SanitizingFunction {

		private static final Set<String> KEYS = Set.of("erlang.cookie", "erlang_cookie", "cookie");

		@Override
		public SanitizableData apply(SanitizableData data) {
			return (data.getValue() != null && KEYS.contains(data.getLowerCaseKey())) ? data.withSanitizedValue()
					: data;
		}

	}

}
