package io.github.erlangspring.convert;

import java.lang.reflect.Type;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangBinary;
import com.ericsson.otp.erlang.OtpErlangDouble;
import com.ericsson.otp.erlang.OtpErlangList;
import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangMap;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangPid;
import com.ericsson.otp.erlang.OtpErlangString;
import com.ericsson.otp.erlang.OtpErlangTuple;
import org.junit.jupiter.api.Test;

import org.springframework.core.ParameterizedTypeReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class DefaultErlangConverterTests {

	private final DefaultErlangConverter converter = new DefaultErlangConverter();

	enum Color {

		RED, DARK_BLUE

	}

	record User(String name, String email, int age) {
	}

	@ErlangRecord("point")
	record Point(long x, long y) {
	}

	record Team(String name, List<User> members) {
	}

	public static class Bean {

		private String title;

		private long count;

		public String getTitle() {
			return this.title;
		}

		public void setTitle(String title) {
			this.title = title;
		}

		public long getCount() {
			return this.count;
		}

		public void setCount(long count) {
			this.count = count;
		}

	}

	private static OtpErlangBinary bin(String text) {
		return new OtpErlangBinary(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
	}

	@Test
	void scalarsFollowTheMappingTable() {
		assertThat(this.converter.toErlang("héllo")).isEqualTo(bin("héllo"));
		assertThat(this.converter.toErlang(new Atom("ok"))).isEqualTo(new OtpErlangAtom("ok"));
		assertThat(this.converter.toErlang(Color.DARK_BLUE)).isEqualTo(new OtpErlangAtom("dark_blue"));
		assertThat(this.converter.toErlang(true)).isEqualTo(new OtpErlangAtom("true"));
		assertThat(this.converter.toErlang(null)).isEqualTo(new OtpErlangAtom("undefined"));
		assertThat(this.converter.toErlang(42)).isEqualTo(new OtpErlangLong(42));
		assertThat(this.converter.toErlang(new BigInteger("123456789012345678901234567890")))
			.isEqualTo(new OtpErlangLong(new BigInteger("123456789012345678901234567890")));
		assertThat(this.converter.toErlang(1.5)).isEqualTo(new OtpErlangDouble(1.5));
		assertThat(this.converter.toErlang(new byte[] { 1, 2 })).isEqualTo(new OtpErlangBinary(new byte[] { 1, 2 }));
		assertThat(this.converter.toErlang(Optional.empty())).isEqualTo(new OtpErlangAtom("undefined"));
	}

	@Test
	void scalarsComeBackToTheirJavaTypes() {
		assertThat(this.converter.fromErlang(bin("héllo"), String.class)).isEqualTo("héllo");
		assertThat(this.converter.fromErlang(new OtpErlangString("chars"), String.class)).isEqualTo("chars");
		assertThat(this.converter.fromErlang(new OtpErlangAtom("red"), Color.class)).isEqualTo(Color.RED);
		assertThat(this.converter.fromErlang(new OtpErlangAtom("false"), boolean.class)).isFalse();
		assertThat(this.converter.fromErlang(new OtpErlangAtom("undefined"), String.class)).isNull();
		assertThat(this.converter.fromErlang(new OtpErlangLong(7), int.class)).isEqualTo(7);
		assertThat(this.converter.fromErlang(new OtpErlangLong(7), double.class)).isEqualTo(7.0);
		assertThat(this.converter.fromErlang(new OtpErlangAtom("x"), Atom.class)).isEqualTo(new Atom("x"));
	}

	@Test
	void integersAreRangeChecked() {
		assertThatExceptionOfType(ErlangConversionException.class)
			.isThrownBy(() -> this.converter.fromErlang(new OtpErlangLong(1L << 40), int.class))
			.withMessageContaining("out of range for Integer");
		assertThatExceptionOfType(ErlangConversionException.class)
			.isThrownBy(() -> this.converter.fromErlang(new OtpErlangLong(new BigInteger("1" + "0".repeat(30))),
					long.class))
			.withMessageContaining("out of range for Long");
	}

	@Test
	void collectionsAndMapsConvertDeeply() {
		OtpErlangObject list = this.converter.toErlang(List.of("a", 1, List.of()));
		assertThat(list).isEqualTo(new OtpErlangList(new OtpErlangObject[] { bin("a"), new OtpErlangLong(1),
				new OtpErlangList() }));
		Map<String, Object> map = new LinkedHashMap<>();
		map.put("k", Set.of(1));
		OtpErlangMap term = (OtpErlangMap) this.converter.toErlang(map);
		assertThat(term.get(bin("k"))).isEqualTo(new OtpErlangList(new OtpErlangLong(1)));
		Object typed = this.converter.fromErlang(new OtpErlangList(new OtpErlangObject[] { new OtpErlangLong(1),
				new OtpErlangLong(2) }), new ParameterizedTypeReference<List<Integer>>() {
				}.getType());
		assertThat(typed).isEqualTo(List.of(1, 2));
	}

	@Test
	void recordsBecomeMapsAndErlangRecordsTaggedTuples() {
		User user = new User("ann", "ann@example.com", 30);
		OtpErlangMap map = (OtpErlangMap) this.converter.toErlang(user);
		assertThat(map.get(new OtpErlangAtom("email"))).isEqualTo(bin("ann@example.com"));
		assertThat(this.converter.fromErlang(map, User.class)).isEqualTo(user);
		OtpErlangObject point = this.converter.toErlang(new Point(1, 2));
		assertThat(point).hasToString("{point,1,2}");
		assertThat(this.converter.fromErlang(point, Point.class)).isEqualTo(new Point(1, 2));
		assertThatExceptionOfType(ErlangConversionException.class)
			.isThrownBy(() -> this.converter.fromErlang(new OtpErlangTuple(new OtpErlangAtom("other")), Point.class))
			.withMessageContaining("expected {point, ...} with 3 elements");
	}

	@Test
	void pojosConvertThroughTheirProperties() {
		Bean bean = new Bean();
		bean.setTitle("t");
		bean.setCount(3);
		OtpErlangMap map = (OtpErlangMap) this.converter.toErlang(bean);
		assertThat(map.get(new OtpErlangAtom("count"))).isEqualTo(new OtpErlangLong(3));
		Bean back = this.converter.fromErlang(map, Bean.class);
		assertThat(back.getTitle()).isEqualTo("t");
		assertThat(back.getCount()).isEqualTo(3);
	}

	@Test
	void errorsNameThePath() {
		OtpErlangMap team = new OtpErlangMap(new OtpErlangObject[] { new OtpErlangAtom("name"),
				new OtpErlangAtom("members") }, new OtpErlangObject[] { bin("core"), new OtpErlangList(
						new OtpErlangMap(new OtpErlangObject[] { new OtpErlangAtom("name"), new OtpErlangAtom("email"),
								new OtpErlangAtom("age") }, new OtpErlangObject[] { bin("x"), new OtpErlangLong(42),
										new OtpErlangLong(1) })) });
		assertThatExceptionOfType(ErlangConversionException.class)
			.isThrownBy(() -> this.converter.fromErlang(team, Team.class))
			.withMessage("members[0].email: expected a binary or string, got 42")
			.satisfies((ex) -> assertThat(ex.getPath()).isEqualTo("members[0].email"));
	}

	@Test
	void errorsNameEveryKindOfStep() {
		OtpErlangMap team = new OtpErlangMap(new OtpErlangObject[] { new OtpErlangAtom("name"),
				new OtpErlangAtom("members") }, new OtpErlangObject[] { bin("core"), new OtpErlangList(
						new OtpErlangMap(new OtpErlangObject[] { new OtpErlangAtom("name") },
								new OtpErlangObject[] { new OtpErlangLong(7) })) });
		// under the path a caller gives (a parameter's name)
		assertThatExceptionOfType(ErlangConversionException.class)
			.isThrownBy(() -> this.converter.fromErlang(team, Team.class, "team"))
			.satisfies((ex) -> assertThat(ex.getPath()).isEqualTo("team.members[0].name"));
		// a map's value, by its key, and a map's key
		Type scores = new ParameterizedTypeReference<Map<String, Long>>() {
		}.getType();
		OtpErlangMap badValue = new OtpErlangMap(new OtpErlangObject[] { bin("alice") },
				new OtpErlangObject[] { bin("ten") });
		assertThatExceptionOfType(ErlangConversionException.class)
			.isThrownBy(() -> this.converter.fromErlang(badValue, scores, "scores"))
			.withMessageStartingWith("scores.alice: expected an integer, got ")
			.satisfies((ex) -> assertThat(ex.getPath()).isEqualTo("scores.alice"));
		Type byNumber = new ParameterizedTypeReference<Map<Long, String>>() {
		}.getType();
		OtpErlangMap badKey = new OtpErlangMap(new OtpErlangObject[] { bin("one") }, new OtpErlangObject[] { bin("x") });
		assertThatExceptionOfType(ErlangConversionException.class)
			.isThrownBy(() -> this.converter.fromErlang(badKey, byNumber, "names"))
			.satisfies((ex) -> assertThat(ex.getPath()).isEqualTo("names[key]"));
		// writing: an array's element, and a map's key and value
		assertThatExceptionOfType(ErlangConversionException.class)
			.isThrownBy(() -> this.converter.toErlang(new Object[] { 1L, new Object() }))
			.satisfies((ex) -> assertThat(ex.getPath()).isEqualTo("[1]"));
		Map<Object, Object> withBadKey = Map.of(new Object() {
			@Override
			public String toString() {
				return "k";
			}
		}, 1L);
		assertThatExceptionOfType(ErlangConversionException.class)
			.isThrownBy(() -> this.converter.toErlang(withBadKey))
			.satisfies((ex) -> assertThat(ex.getPath()).isEqualTo("[key k]"));
		assertThatExceptionOfType(ErlangConversionException.class)
			.isThrownBy(() -> this.converter.toErlang(Map.of("owner", Map.of("pet", new Object()))))
			.satisfies((ex) -> assertThat(ex.getPath()).isEqualTo("owner.pet"));
	}

	record Cents(long value) {
	}

	record Item(String name, List<Cents> prices) {
	}

	@Test
	void aCustomConvertersErrorNamesWhereItsValueWas() {
		ErlangTypeConverter<Cents> cents = new ErlangTypeConverter<>() {

			@Override
			public Class<Cents> type() {
				return Cents.class;
			}

			@Override
			public OtpErlangObject toErlang(Cents value, ErlangConverter converter) {
				if (value.value() < 0) {
					throw new ErlangConversionException("", "negative");
				}
				return new OtpErlangLong(value.value());
			}

			@Override
			public Cents fromErlang(OtpErlangObject term, ErlangConverter converter) {
				throw new ErlangConversionException("", "not cents: " + term);
			}

		};
		DefaultErlangConverter withCents = new DefaultErlangConverter(List.of(cents));
		assertThatExceptionOfType(ErlangConversionException.class)
			.isThrownBy(() -> withCents.toErlang(new Item("pen", List.of(new Cents(1), new Cents(-1)))))
			.withMessage("prices[1]: negative");
		OtpErlangMap item = new OtpErlangMap(new OtpErlangObject[] { new OtpErlangAtom("name"),
				new OtpErlangAtom("prices") }, new OtpErlangObject[] { bin("pen"), new OtpErlangList(bin("x")) });
		assertThatExceptionOfType(ErlangConversionException.class)
			.isThrownBy(() -> withCents.fromErlang(item, Item.class))
			.satisfies((ex) -> assertThat(ex.getPath()).isEqualTo("prices[0]"));
	}

	@Test
	void naturalConversionPicksJavaTypes() {
		assertThat(this.converter.fromErlang(new OtpErlangLong(5))).isEqualTo(5L);
		assertThat(this.converter.fromErlang(bin("text"))).isEqualTo("text");
		assertThat(this.converter.fromErlang(new OtpErlangBinary(new byte[] { (byte) 0xff })))
			.isEqualTo(new byte[] { (byte) 0xff });
		assertThat(this.converter.fromErlang(new OtpErlangString("abc"))).isEqualTo("abc");
		assertThat(this.converter.fromErlang(new OtpErlangString("\u0001\u0002"))).isEqualTo(List.of(1L, 2L));
		assertThat(this.converter.fromErlang(new OtpErlangAtom("undefined"))).isNull();
		assertThat(this.converter.fromErlang(new OtpErlangAtom("node"))).isEqualTo(new Atom("node"));
		OtpErlangPid pid = new OtpErlangPid("n@h", 1, 0, 1);
		assertThat(this.converter.fromErlang(pid)).isSameAs(pid);
	}

	@Test
	void binariesAreTextOnlyWhenTheyAreUtf8() {
		// U+FFFD itself (EF BF BD) is text; a lone continuation byte or a truncated sequence is not
		OtpErlangBinary replacement = new OtpErlangBinary(new byte[] { 'a', (byte) 0xEF, (byte) 0xBF, (byte) 0xBD });
		assertThat(this.converter.fromErlang(replacement)).isEqualTo("a\uFFFD");
		assertThat(this.converter.fromErlang(replacement, String.class)).isEqualTo("a\uFFFD");
		byte[] truncated = { 'a', (byte) 0xE2, (byte) 0x82 };
		assertThat(this.converter.fromErlang(new OtpErlangBinary(truncated))).isEqualTo(truncated);
		assertThatExceptionOfType(ErlangConversionException.class)
			.isThrownBy(() -> this.converter.fromErlang(new OtpErlangBinary(truncated), String.class))
			.withMessageContaining("not UTF-8");
		assertThat(this.converter.fromErlang(bin("héllo €"), String.class)).isEqualTo("héllo €");
	}

	@Test
	void userConvertersTakePrecedence() {
		ErlangTypeConverter<Color> colors = new ErlangTypeConverter<>() {

			@Override
			public Class<Color> type() {
				return Color.class;
			}

			@Override
			public OtpErlangObject toErlang(Color value, ErlangConverter converter) {
				return new OtpErlangLong(value.ordinal());
			}

			@Override
			public Color fromErlang(OtpErlangObject term, ErlangConverter converter) {
				return Color.values()[(int) ((OtpErlangLong) term).longValue()];
			}

		};
		DefaultErlangConverter custom = new DefaultErlangConverter(List.of(colors));
		assertThat(custom.toErlang(Color.DARK_BLUE)).isEqualTo(new OtpErlangLong(1));
		assertThat(custom.fromErlang(new OtpErlangLong(0), Color.class)).isEqualTo(Color.RED);
	}

}
