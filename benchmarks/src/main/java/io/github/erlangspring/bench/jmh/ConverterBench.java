package io.github.erlangspring.bench.jmh;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangBinary;
import com.ericsson.otp.erlang.OtpErlangDouble;
import com.ericsson.otp.erlang.OtpErlangList;
import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangMap;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangRangeException;
import io.github.erlangspring.convert.DefaultErlangConverter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * A Java record to an Erlang map and back: {@link DefaultErlangConverter} ({@code …Ours}, what
 * {@code ErlangTemplate} and {@code @ErlangProcess} methods use) next to the JInterface code a user
 * would write by hand for the same map ({@code …Raw}, key atoms kept in constants).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ConverterBench {

	/** The record converted: becomes {@code #{id => <<…>>, customer => <<…>>, quantity => 3, …}}. */
	public record Order(String id, String customer, long quantity, double price, List<String> tags, boolean urgent) {
	}

	private static final OtpErlangAtom ID = new OtpErlangAtom("id");

	private static final OtpErlangAtom CUSTOMER = new OtpErlangAtom("customer");

	private static final OtpErlangAtom QUANTITY = new OtpErlangAtom("quantity");

	private static final OtpErlangAtom PRICE = new OtpErlangAtom("price");

	private static final OtpErlangAtom TAGS = new OtpErlangAtom("tags");

	private static final OtpErlangAtom URGENT = new OtpErlangAtom("urgent");

	private final DefaultErlangConverter converter = new DefaultErlangConverter();

	private final Order order = new Order("order-20261129-0042", "ACME Corporation", 3, 19.99,
			List.of("express", "gift", "fragile"), true);

	private final OtpErlangMap map = (OtpErlangMap) this.converter.toErlang(this.order);

	@Benchmark
	public OtpErlangObject toErlangOurs() {
		return this.converter.toErlang(this.order);
	}

	@Benchmark
	public OtpErlangObject toErlangRaw() {
		return toMap(this.order);
	}

	@Benchmark
	public Order fromErlangOurs() {
		return this.converter.fromErlang(this.map, Order.class);
	}

	@Benchmark
	public Order fromErlangRaw() throws OtpErlangRangeException {
		return fromMap(this.map);
	}

	static OtpErlangMap toMap(Order order) {
		OtpErlangObject[] tags = new OtpErlangObject[order.tags().size()];
		for (int i = 0; i < tags.length; i++) {
			tags[i] = binary(order.tags().get(i));
		}
		return new OtpErlangMap(new OtpErlangObject[] { ID, CUSTOMER, QUANTITY, PRICE, TAGS, URGENT },
				new OtpErlangObject[] { binary(order.id()), binary(order.customer()), new OtpErlangLong(order.quantity()),
						new OtpErlangDouble(order.price()), new OtpErlangList(tags),
						new OtpErlangAtom(order.urgent()) });
	}

	static Order fromMap(OtpErlangMap map) throws OtpErlangRangeException {
		OtpErlangList list = (OtpErlangList) map.get(TAGS);
		List<String> tags = new ArrayList<>(list.arity());
		for (OtpErlangObject tag : list) {
			tags.add(string(tag));
		}
		return new Order(string(map.get(ID)), string(map.get(CUSTOMER)), ((OtpErlangLong) map.get(QUANTITY)).longValue(),
				((OtpErlangDouble) map.get(PRICE)).doubleValue(), tags, ((OtpErlangAtom) map.get(URGENT)).booleanValue());
	}

	private static OtpErlangBinary binary(String text) {
		return new OtpErlangBinary(text.getBytes(StandardCharsets.UTF_8));
	}

	private static String string(OtpErlangObject binary) {
		return new String(((OtpErlangBinary) binary).binaryValue(), StandardCharsets.UTF_8);
	}

}
