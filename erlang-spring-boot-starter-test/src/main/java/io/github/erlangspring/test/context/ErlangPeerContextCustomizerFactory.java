package io.github.erlangspring.test.context;

import java.util.List;

import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.TestContextAnnotationUtils;

/** Reads {@link AutoConfigureErlangPeer} off test classes (registered in {@code spring.factories}). */
class ErlangPeerContextCustomizerFactory implements ContextCustomizerFactory {

	@Override
	public ContextCustomizer createContextCustomizer(Class<?> testClass,
			List<ContextConfigurationAttributes> configAttributes) {
		AutoConfigureErlangPeer annotation = TestContextAnnotationUtils.findMergedAnnotation(testClass,
				AutoConfigureErlangPeer.class);
		return (annotation != null) ? new ErlangPeerContextCustomizer(annotation) : null;
	}

}
