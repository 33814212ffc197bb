package io.github.erlangspring.autoconfigure;

import io.github.erlangspring.annotation.ErlangSubscribe;
import org.junit.jupiter.api.Test;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.annotation.ReflectiveRuntimeHintsRegistrar;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.beans.factory.aot.AotServices;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * AOT: the hints for handler methods (from {@code @Reflective} on their annotations), the types
 * the converter binds, {@code @ErlangRecord} types and the {@code .beam} resources.
 */
class ErlangRuntimeHintsTests {

	@Test
	void theErlangModulesOfTheJarAreResourceHints() {
		RuntimeHints hints = new RuntimeHints();
		new ErlangRuntimeHints().registerHints(hints, getClass().getClassLoader());
		assertThat(RuntimeHintsPredicates.resource().forResource("erlang/ebin/spring_bridge.beam")).accepts(hints);
		assertThat(RuntimeHintsPredicates.resource().forResource("erlang/ebin/spring_bridge_server.beam")).accepts(hints);
		assertThat(RuntimeHintsPredicates.resource().forResource("erlang/ebin/spring_bridge.app")).accepts(hints);
	}

	@Test
	void theRegistrarIsAnAotService() {
		assertThat(AotServices.factories().load(RuntimeHintsRegistrar.class))
			.anyMatch(ErlangRuntimeHints.class::isInstance);
	}

	@Test
	void rpcFunctionsAreInvokableAndTheirParameterTypesBindable() {
		RuntimeHints hints = new RuntimeHints();
		new ReflectiveRuntimeHintsRegistrar().registerRuntimeHints(hints, SampleEndpoints.Greeter.class);
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(SampleEndpoints.Greeter.class, "hello"))
			.accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(SampleEndpoints.Greeter.class, "email"))
			.accepts(hints);
		// user_email(User): the converter builds the record from a map
		assertThat(RuntimeHintsPredicates.reflection().onType(SampleEndpoints.User.class)).accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(SampleEndpoints.User.class, "email"))
			.accepts(hints);
	}

	@Test
	void processHandlersAreInvokableAndTheirRecordsBindable() {
		RuntimeHints hints = new RuntimeHints();
		new ReflectiveRuntimeHintsRegistrar().registerRuntimeHints(hints, SampleEndpoints.Counter.class);
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(SampleEndpoints.Counter.class, "incr"))
			.accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(SampleEndpoints.Counter.class, "add"))
			.accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onType(SampleEndpoints.Add.class)).accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(SampleEndpoints.Add.class, "amount"))
			.accepts(hints);
	}

	@Test
	void subscriberMethodsAreInvokable() {
		RuntimeHints hints = new RuntimeHints();
		new ReflectiveRuntimeHintsRegistrar().registerRuntimeHints(hints, Subscriber.class);
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Subscriber.class, "onOrder")).accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onType(Order.class)).accepts(hints);
	}

	@Test
	void erlangRecordTypesAreBindableWhereverTheyAreFound() {
		RuntimeHints hints = new RuntimeHints();
		new ReflectiveRuntimeHintsRegistrar().registerRuntimeHints(hints, SampleEndpoints.Add.class);
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(SampleEndpoints.Add.class, "amount"))
			.accepts(hints);
	}

	record Order(long id, String item) {
	}

	static class Subscriber {

		@ErlangSubscribe("orders")
		void onOrder(Order order) {
		}

	}

}
