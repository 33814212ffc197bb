package io.github.erlangspring.convert;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangBinary;
import com.ericsson.otp.erlang.OtpErlangList;
import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangMap;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangString;
import com.ericsson.otp.erlang.OtpErlangTuple;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** What Elixir sends and expects: nil, structs, keyword lists, charlists. No Erlang needed. */
class ElixirConversionTests {

	private final DefaultErlangConverter converter = new DefaultErlangConverter();

	@ErlangStruct("Shop.Order")
	record Order(long id, String item, String note) {
	}

	@ErlangStruct("shop_order")
	public static class ErlangModuleOrder {

		private long id;

		public long getId() {
			return this.id;
		}

		public void setId(long id) {
			this.id = id;
		}

	}

	record Plain(long id) {
	}

	private static OtpErlangAtom atom(String name) {
		return new OtpErlangAtom(name);
	}

	private static OtpErlangBinary binary(String text) {
		return new OtpErlangBinary(text.getBytes());
	}

	private static OtpErlangTuple pair(OtpErlangObject key, OtpErlangObject value) {
		return new OtpErlangTuple(new OtpErlangObject[] { key, value });
	}

	private static OtpErlangMap map(OtpErlangObject... keysAndValues) {
		OtpErlangObject[] keys = new OtpErlangObject[keysAndValues.length / 2];
		OtpErlangObject[] values = new OtpErlangObject[keysAndValues.length / 2];
		for (int i = 0; i < keys.length; i++) {
			keys[i] = keysAndValues[2 * i];
			values[i] = keysAndValues[2 * i + 1];
		}
		return new OtpErlangMap(keys, values);
	}

	@Test
	void nilReadsAsNullLikeUndefined() {
		assertThat(this.converter.fromErlang(atom("nil"), Long.class)).isNull();
		assertThat(this.converter.fromErlang(atom("nil"), String.class)).isNull();
		assertThat(this.converter.fromErlang(atom("nil"), Object.class)).isNull();
		assertThat(this.converter.fromErlang(atom("nil"), Optional.class)).isEmpty();
		assertThat(this.converter.fromErlang(atom("nil"), Atom.class)).isEqualTo(new Atom("nil"));
		assertThatExceptionOfType(ErlangConversionException.class)
			.isThrownBy(() -> this.converter.fromErlang(atom("nil"), long.class));
	}

	@Test
	void nullIsWrittenAsUndefinedOrAsConfigured() {
		assertThat(this.converter.toErlang(null)).isEqualTo(atom("undefined"));
		DefaultErlangConverter elixir = new DefaultErlangConverter(List.of(), "nil");
		assertThat(elixir.toErlang(null)).isEqualTo(atom("nil"));
		assertThat(elixir.toErlang(new Order(1, "tea", null))).isEqualTo(map(atom("__struct__"),
				atom("Elixir.Shop.Order"), atom("id"), new OtpErlangLong(1), atom("item"), binary("tea"), atom("note"),
				atom("nil")));
	}

	@Test
	void structsAreWrittenWithTheirModuleAndReadBack() {
		OtpErlangObject written = this.converter.toErlang(new Order(7, "cake", "fresh"));
		assertThat(((OtpErlangMap) written).get(atom("__struct__"))).isEqualTo(atom("Elixir.Shop.Order"));
		assertThat(this.converter.fromErlang(written, Order.class)).isEqualTo(new Order(7, "cake", "fresh"));
		ErlangModuleOrder bean = new ErlangModuleOrder();
		bean.setId(3);
		OtpErlangObject erlangStruct = this.converter.toErlang(bean);
		assertThat(erlangStruct).isEqualTo(map(atom("__struct__"), atom("shop_order"), atom("id"), new OtpErlangLong(3)));
		assertThat(this.converter.fromErlang(erlangStruct, ErlangModuleOrder.class).getId()).isEqualTo(3);
		// a plain map is accepted too; a type without @ErlangStruct reads any struct
		assertThat(this.converter.fromErlang(map(atom("id"), new OtpErlangLong(1), atom("item"), binary("x")), Order.class))
			.isEqualTo(new Order(1, "x", null));
		assertThat(this.converter.fromErlang(written, Plain.class)).isEqualTo(new Plain(7));
		assertThat(this.converter.toErlang(new Plain(2))).isEqualTo(map(atom("id"), new OtpErlangLong(2)));
	}

	@Test
	void aStructOfAnotherModuleIsRefusedNamingBoth() {
		OtpErlangMap user = map(atom("__struct__"), atom("Elixir.Shop.User"), atom("id"), new OtpErlangLong(1));
		assertThatExceptionOfType(ErlangConversionException.class)
			.isThrownBy(() -> this.converter.fromErlang(user, Order.class))
			.withMessageContaining("%Shop.Order{}")
			.withMessageContaining("Elixir.Shop.User");
	}

	@Test
	void keywordListsReadAsOrderedMapsFirstKeyWinning() {
		OtpErlangList options = new OtpErlangList(new OtpErlangObject[] { pair(atom("retries"), new OtpErlangLong(3)),
				pair(atom("mode"), atom("fast")), pair(atom("retries"), new OtpErlangLong(9)) });
		@SuppressWarnings("unchecked")
		Map<Object, Object> natural = (Map<Object, Object>) this.converter.fromErlang(options, Object.class);
		assertThat(natural).containsExactly(Map.entry(new Atom("retries"), 3L), Map.entry(new Atom("mode"), new Atom("fast")));
		@SuppressWarnings("unchecked")
		Map<String, Object> typed = (Map<String, Object>) this.converter.fromErlang(options,
				new org.springframework.core.ParameterizedTypeReference<Map<String, Object>>() {
				}.getType());
		assertThat(typed).containsExactly(Map.entry("retries", 3L), Map.entry("mode", new Atom("fast")));
		// a list of pairs whose keys are not atoms stays a list, and [] stays a list
		OtpErlangList proplistOfBinaries = new OtpErlangList(new OtpErlangObject[] { pair(binary("k"), binary("v")) });
		assertThat(this.converter.fromErlang(proplistOfBinaries, Object.class)).isInstanceOf(List.class);
		assertThat(this.converter.fromErlang(new OtpErlangList(), Object.class)).isEqualTo(List.of());
	}

	@Test
	void charlistsAndBinariesAreStrings() {
		assertThat(this.converter.fromErlang(new OtpErlangString("hello"), String.class)).isEqualTo("hello");
		assertThat(this.converter.fromErlang(new OtpErlangString("hello"), Object.class)).isEqualTo("hello");
		assertThat(this.converter.fromErlang(binary("héllo".replace("é", "e")), Object.class)).isEqualTo("hello");
	}

}
