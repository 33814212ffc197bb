package io.github.erlangspring.convert;

import java.beans.BeanInfo;
import java.beans.IntrospectionException;
import java.beans.Introspector;
import java.beans.PropertyDescriptor;
import java.lang.reflect.Array;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangBinary;
import com.ericsson.otp.erlang.OtpErlangDouble;
import com.ericsson.otp.erlang.OtpErlangList;
import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangMap;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangString;
import com.ericsson.otp.erlang.OtpErlangTuple;

import org.springframework.core.ResolvableType;

import io.github.erlangspring.node.dist.BoundedTerms;

/**
 * The default Java/Erlang mapping (see {@code docs/conversion.md}), extended by
 * {@link ErlangTypeConverter}s, which take precedence in the order given.
 */
public class DefaultErlangConverter implements ErlangConverter {

	private static final OtpErlangAtom UNDEFINED = new OtpErlangAtom("undefined");

	/** Elixir's {@code nil}: read as {@code null} like {@code undefined}. */
	private static final OtpErlangAtom NIL = new OtpErlangAtom("nil");

	private static final OtpErlangAtom STRUCT = new OtpErlangAtom("__struct__");

	private final List<ErlangTypeConverter<?>> converters;

	private final OtpErlangAtom nullAtom;

	public DefaultErlangConverter() {
		this(List.of());
	}

	public DefaultErlangConverter(Collection<? extends ErlangTypeConverter<?>> converters) {
		this(converters, UNDEFINED.atomValue());
	}

	/**
	 * @param converters converters for particular types, tried first in this order
	 * @param nullAtom the atom Java {@code null} is written as: {@code undefined} (Erlang's
	 * convention) or {@code nil} (Elixir's); both read as {@code null}
	 */
	public DefaultErlangConverter(Collection<? extends ErlangTypeConverter<?>> converters, String nullAtom) {
		this.converters = List.copyOf(converters);
		this.nullAtom = new OtpErlangAtom(nullAtom);
	}

	private static boolean isNull(OtpErlangObject term) {
		return UNDEFINED.equals(term) || NIL.equals(term);
	}

	@Override
	public OtpErlangObject toErlang(Object value) {
		return toTerm(value);
	}

	@Override
	@SuppressWarnings("unchecked")
	public <T> T fromErlang(OtpErlangObject term, Class<T> type) {
		Object value = convert(term, ResolvableType.forClass(type));
		return (T) (type.isPrimitive() ? value : type.cast(value));
	}

	@Override
	public Object fromErlang(OtpErlangObject term, Type type) {
		return convert(term, ResolvableType.forType(type));
	}

	@Override
	public Object fromErlang(OtpErlangObject term, Type type, String path) {
		try {
			return convert(term, ResolvableType.forType(type));
		}
		catch (ErlangConversionException ex) {
			throw ex.under(path);
		}
	}

	@SuppressWarnings({ "unchecked", "rawtypes" })
	/**
	 * {@link #toTerm} of the value at {@code name}: a component, a property, a map's value under
	 * its key. The path of an error is put together as the error unwinds, each step adding
	 * itself ({@link ErlangConversionException#within}) here and in the other {@code ...At}
	 * methods: a conversion that succeeds builds no text.
	 */
	private OtpErlangObject toTermAt(Object value, Object name) {
		try {
			return toTerm(value);
		}
		catch (ErlangConversionException ex) {
			throw ex.within(String.valueOf(name));
		}
	}

	/** {@link #toTerm} of a list's or an array's element. */
	private OtpErlangObject toTermAt(Object value, int index) {
		try {
			return toTerm(value);
		}
		catch (ErlangConversionException ex) {
			throw ex.within("[" + index + "]");
		}
	}

	/** {@link #convert} of the term at {@code name}: a component, a property, a map's value under its key. */
	private Object convertAt(OtpErlangObject term, ResolvableType type, Object name) {
		try {
			return convert(term, type);
		}
		catch (ErlangConversionException ex) {
			throw ex.within(String.valueOf(name));
		}
	}

	/** {@link #convert} of a list's element. */
	private Object convertAt(OtpErlangObject term, ResolvableType type, int index) {
		try {
			return convert(term, type);
		}
		catch (ErlangConversionException ex) {
			throw ex.within("[" + index + "]");
		}
	}

	private OtpErlangObject toTerm(Object value) {
		if (value == null) {
			return this.nullAtom;
		}
		if (value instanceof OtpErlangObject term) {
			return term;
		}
		for (ErlangTypeConverter converter : this.converters) {
			if (converter.type().isInstance(value)) {
				return converter.toErlang(value, this);
			}
		}
		if (value instanceof String text) {
			return new OtpErlangBinary(text.getBytes(StandardCharsets.UTF_8));
		}
		if (value instanceof Atom atom) {
			return new OtpErlangAtom(atom.name());
		}
		if (value instanceof Boolean bool) {
			return new OtpErlangAtom(bool);
		}
		if (value instanceof Enum<?> constant) {
			return new OtpErlangAtom(constant.name().toLowerCase(Locale.ROOT));
		}
		if (value instanceof Character character) {
			return new OtpErlangLong(character);
		}
		if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
			return new OtpErlangLong(((Number) value).longValue());
		}
		if (value instanceof BigInteger big) {
			return new OtpErlangLong(big);
		}
		if (value instanceof Double || value instanceof Float) {
			return new OtpErlangDouble(((Number) value).doubleValue());
		}
		if (value instanceof byte[] bytes) {
			return new OtpErlangBinary(bytes);
		}
		if (value instanceof Optional<?> optional) {
			return toTerm(optional.orElse(null));
		}
		if (value instanceof Map<?, ?> map) {
			OtpErlangObject[] keys = new OtpErlangObject[map.size()];
			OtpErlangObject[] values = new OtpErlangObject[map.size()];
			int i = 0;
			for (Map.Entry<?, ?> entry : map.entrySet()) {
				try {
					keys[i] = toTerm(entry.getKey());
				}
				catch (ErlangConversionException ex) {
					throw ex.within("[key " + entry.getKey() + "]");
				}
				values[i] = toTermAt(entry.getValue(), entry.getKey());
				i++;
			}
			return new OtpErlangMap(keys, values);
		}
		if (value instanceof Collection<?> collection) {
			OtpErlangObject[] elements = new OtpErlangObject[collection.size()];
			int i = 0;
			for (Object element : collection) {
				elements[i] = toTermAt(element, i);
				i++;
			}
			return new OtpErlangList(elements);
		}
		if (value.getClass().isArray()) {
			int length = Array.getLength(value);
			OtpErlangObject[] elements = new OtpErlangObject[length];
			for (int i = 0; i < length; i++) {
				elements[i] = toTermAt(Array.get(value, i), i);
			}
			return new OtpErlangList(elements);
		}
		if (value instanceof Record record) {
			return recordToErlang(record);
		}
		return beanToErlang(value);
	}

	private OtpErlangObject recordToErlang(Record record) {
		RecordShape shape = RECORDS.get(record.getClass());
		int size = shape.names.length;
		OtpErlangObject[] values = new OtpErlangObject[size];
		for (int i = 0; i < size; i++) {
			try {
				values[i] = toTermAt(shape.accessors[i].invoke(record), shape.names[i]);
			}
			catch (ReflectiveOperationException ex) {
				throw new ErlangConversionException(shape.names[i], "cannot read: " + ex);
			}
		}
		if (shape.tag != null) {
			OtpErlangObject[] elements = new OtpErlangObject[size + 1];
			elements[0] = shape.tag;
			System.arraycopy(values, 0, elements, 1, size);
			return new OtpErlangTuple(elements);
		}
		return struct(shape.struct, shape.keys.clone(), values);
	}

	/** What conversion needs of a record class, looked up once per class. */
	private static final ClassValue<RecordShape> RECORDS = new ClassValue<>() {

		@Override
		protected RecordShape computeValue(Class<?> type) {
			return RecordShape.of(type);
		}

	};

	private static final class RecordShape {

		final String[] names;

		final OtpErlangAtom[] keys;

		final java.lang.reflect.Method[] accessors;

		final ResolvableType[] types;

		final Class<?>[] rawTypes;

		final Constructor<?> constructor;

		final ReflectiveOperationException constructorFailure;

		final OtpErlangAtom tag;

		final OtpErlangAtom struct;

		private RecordShape(Class<?> type) {
			RecordComponent[] components = type.getRecordComponents();
			this.names = new String[components.length];
			this.keys = new OtpErlangAtom[components.length];
			this.accessors = new java.lang.reflect.Method[components.length];
			this.types = new ResolvableType[components.length];
			this.rawTypes = new Class<?>[components.length];
			for (int i = 0; i < components.length; i++) {
				this.names[i] = components[i].getName();
				this.keys[i] = new OtpErlangAtom(this.names[i]);
				this.accessors[i] = components[i].getAccessor();
				this.accessors[i].trySetAccessible();
				this.types[i] = ResolvableType.forType(components[i].getGenericType());
				this.rawTypes[i] = components[i].getType();
			}
			Constructor<?> found = null;
			ReflectiveOperationException failure = null;
			try {
				found = type.getDeclaredConstructor(this.rawTypes);
				found.setAccessible(true);
			}
			catch (ReflectiveOperationException | RuntimeException ex) {
				failure = (ex instanceof ReflectiveOperationException reflective) ? reflective
						: new ReflectiveOperationException(ex);
			}
			this.constructor = found;
			this.constructorFailure = failure;
			ErlangRecord tagged = type.getAnnotation(ErlangRecord.class);
			this.tag = (tagged != null) ? new OtpErlangAtom(tagged.value()) : null;
			this.struct = structModule(type);
		}

		static RecordShape of(Class<?> type) {
			return new RecordShape(type);
		}

	}

	/** A map, with the {@code __struct__} key first for an {@link ErlangStruct} type. */
	private static OtpErlangMap struct(Class<?> type, OtpErlangObject[] keys, OtpErlangObject[] values) {
		return struct(structModule(type), keys, values);
	}

	/** A map, with the {@code __struct__} key first when there is a struct module. */
	private static OtpErlangMap struct(OtpErlangAtom module, OtpErlangObject[] keys, OtpErlangObject[] values) {
		if (module == null) {
			return new OtpErlangMap(keys, values);
		}
		OtpErlangObject[] structKeys = new OtpErlangObject[keys.length + 1];
		OtpErlangObject[] structValues = new OtpErlangObject[values.length + 1];
		structKeys[0] = STRUCT;
		structValues[0] = module;
		System.arraycopy(keys, 0, structKeys, 1, keys.length);
		System.arraycopy(values, 0, structValues, 1, values.length);
		return new OtpErlangMap(structKeys, structValues);
	}

	private static OtpErlangAtom structModule(Class<?> type) {
		ErlangStruct struct = type.getAnnotation(ErlangStruct.class);
		if (struct == null) {
			return null;
		}
		String name = struct.value();
		boolean alias = !name.isEmpty() && Character.isUpperCase(name.charAt(0));
		return new OtpErlangAtom(alias ? "Elixir." + name : name);
	}

	/** A struct given for an {@link ErlangStruct} type must be of its module. */
	private static void checkStruct(OtpErlangMap map, Class<?> type) {
		checkStruct(map, structModule(type));
	}

	private static void checkStruct(OtpErlangMap map, OtpErlangAtom module) {
		OtpErlangObject given = map.get(STRUCT);
		if (module != null && given != null && !module.equals(given)) {
			throw new ErlangConversionException("", "expected a %" + module.atomValue().replaceFirst("^Elixir\\.", "")
					+ "{} struct, got one of " + given);
		}
	}

	private OtpErlangObject beanToErlang(Object bean) {
		List<PropertyDescriptor> properties = readableProperties(bean.getClass());
		if (properties.isEmpty()) {
			throw new ErlangConversionException("", "no Erlang form for " + bean.getClass().getName()
					+ " (add an ErlangTypeConverter bean for it)");
		}
		OtpErlangObject[] keys = new OtpErlangObject[properties.size()];
		OtpErlangObject[] values = new OtpErlangObject[properties.size()];
		for (int i = 0; i < keys.length; i++) {
			PropertyDescriptor property = properties.get(i);
			keys[i] = new OtpErlangAtom(property.getName());
			try {
				values[i] = toTermAt(property.getReadMethod().invoke(bean), property.getName());
			}
			catch (ReflectiveOperationException ex) {
				throw new ErlangConversionException(property.getName(), "cannot read: " + ex);
			}
		}
		return struct(bean.getClass(), keys, values);
	}

	private static List<PropertyDescriptor> readableProperties(Class<?> type) {
		try {
			BeanInfo info = Introspector.getBeanInfo(type, Object.class);
			List<PropertyDescriptor> readable = new ArrayList<>();
			for (PropertyDescriptor property : info.getPropertyDescriptors()) {
				if (property.getReadMethod() != null) {
					readable.add(property);
				}
			}
			return readable;
		}
		catch (IntrospectionException ex) {
			return List.of();
		}
	}

	@SuppressWarnings({ "unchecked", "rawtypes" })
	private Object convert(OtpErlangObject term, ResolvableType type) {
		Class<?> raw = box(type.resolve(Object.class));
		if (raw.isInstance(term) && OtpErlangObject.class.isAssignableFrom(raw)) {
			return term;
		}
		for (ErlangTypeConverter converter : this.converters) {
			if (raw.isAssignableFrom(converter.type()) && raw != Object.class) {
				return converter.fromErlang(term, this);
			}
		}
		if (raw == Object.class) {
			return natural(term);
		}
		if (raw == Optional.class) {
			return isNull(term) ? Optional.empty() : Optional.ofNullable(convert(term, type.getGeneric(0)));
		}
		if (isNull(term) && !type.resolve(Object.class).isPrimitive() && raw != Atom.class) {
			return null;
		}
		if (raw == String.class) {
			return string(term);
		}
		if (raw == Atom.class) {
			return new Atom(atom(term));
		}
		if (raw == Boolean.class) {
			if (term instanceof OtpErlangAtom atom && (atom.atomValue().equals("true") || atom.atomValue().equals("false"))) {
				return atom.booleanValue();
			}
			throw mismatch("true or false", term);
		}
		if (raw.isEnum()) {
			String name = atom(term);
			for (Object constant : raw.getEnumConstants()) {
				if (((Enum<?>) constant).name().equalsIgnoreCase(name)) {
					return constant;
				}
			}
			throw new ErlangConversionException("", "no " + raw.getSimpleName() + " constant for atom " + name);
		}
		if (raw == Long.class || raw == Integer.class || raw == Short.class || raw == Byte.class
				|| raw == BigInteger.class || raw == Character.class) {
			return integer(term, raw);
		}
		if (raw == Double.class || raw == Float.class) {
			double value;
			if (term instanceof OtpErlangDouble d) {
				value = d.doubleValue();
			}
			else if (term instanceof OtpErlangLong l && l.isLong()) {
				value = l.longValue();
			}
			else {
				throw mismatch("a float", term);
			}
			return (raw == Float.class) ? (Object) (float) value : (Object) value;
		}
		if (raw == byte[].class) {
			if (term instanceof OtpErlangBinary binary) {
				return binary.binaryValue();
			}
			throw mismatch("a binary", term);
		}
		if (Map.class.isAssignableFrom(raw)) {
			Map<OtpErlangObject, OtpErlangObject> entries = mapEntries(term);
			if (entries == null) {
				throw mismatch("a map or a keyword list", term);
			}
			Map<Object, Object> result = new LinkedHashMap<>();
			for (Map.Entry<OtpErlangObject, OtpErlangObject> entry : entries.entrySet()) {
				Object key;
				try {
					key = convert(entry.getKey(), type.asMap().getGeneric(0));
				}
				catch (ErlangConversionException ex) {
					throw ex.within("[key]");
				}
				result.put(key, convertAt(entry.getValue(), type.asMap().getGeneric(1), key));
			}
			return result;
		}
		if (Collection.class.isAssignableFrom(raw) || raw.isArray()) {
			OtpErlangObject[] elements = elements(term);
			ResolvableType elementType = raw.isArray() ? type.getComponentType() : type.asCollection().getGeneric(0);
			List<Object> values = new ArrayList<>(elements.length);
			for (int i = 0; i < elements.length; i++) {
				values.add(convertAt(elements[i], elementType, i));
			}
			if (raw.isArray()) {
				Object array = Array.newInstance(elementType.resolve(Object.class), values.size());
				for (int i = 0; i < values.size(); i++) {
					Array.set(array, i, values.get(i));
				}
				return array;
			}
			if (SortedSet.class.isAssignableFrom(raw)) {
				return new TreeSet<>(values);
			}
			if (EnumSet.class.isAssignableFrom(raw)) {
				return values.isEmpty() ? EnumSet.noneOf((Class) elementType.resolve())
						: EnumSet.copyOf((Collection) values);
			}
			return Set.class.isAssignableFrom(raw) ? new LinkedHashSet<>(values) : values;
		}
		if (Record.class.isAssignableFrom(raw)) { // not isRecord(): a native call on every conversion
			return toRecord(term, raw);
		}
		if (raw.getPackageName().startsWith("java.")) {
			throw new ErlangConversionException("", "cannot convert " + describe(term) + " to " + raw.getName());
		}
		return toBean(term, raw);
	}

	/**
	 * The entries of a map, or of a keyword list ({@code [{a, 1}, {b, 2}]}: Elixir's
	 * {@code [a: 1, b: 2]}) in its order, the first of repeated keys winning as in
	 * {@code Keyword.get/2}; {@code null} for anything else.
	 */
	private static Map<OtpErlangObject, OtpErlangObject> mapEntries(OtpErlangObject term) {
		if (term instanceof OtpErlangMap map) {
			return map.entrySet().stream().collect(LinkedHashMap::new, (m, e) -> m.put(e.getKey(), e.getValue()), Map::putAll);
		}
		if (!isKeywordList(term)) {
			return null;
		}
		Map<OtpErlangObject, OtpErlangObject> entries = new LinkedHashMap<>();
		for (OtpErlangObject element : (OtpErlangList) term) {
			OtpErlangTuple pair = (OtpErlangTuple) element;
			entries.putIfAbsent(pair.elementAt(0), pair.elementAt(1));
		}
		return entries;
	}

	/** A non-empty proper list of {@code {Atom, Value}} pairs. */
	private static boolean isKeywordList(OtpErlangObject term) {
		if (!(term instanceof OtpErlangList list) || list.arity() == 0 || list.getLastTail() != null) {
			return false;
		}
		for (OtpErlangObject element : list) {
			if (!(element instanceof OtpErlangTuple pair && pair.arity() == 2 && pair.elementAt(0) instanceof OtpErlangAtom)) {
				return false;
			}
		}
		return true;
	}

	private Object toRecord(OtpErlangObject term, Class<?> type) {
		RecordShape shape = RECORDS.get(type);
		int size = shape.names.length;
		Object[] args = new Object[size];
		if (shape.tag != null) {
			if (!(term instanceof OtpErlangTuple tuple) || tuple.arity() != size + 1 || !shape.tag.equals(tuple.elementAt(0))) {
				throw mismatch("{" + shape.tag.atomValue() + ", ...} with " + (size + 1) + " elements", term);
			}
			for (int i = 0; i < size; i++) {
				args[i] = convertAt(tuple.elementAt(i + 1), shape.types[i], shape.names[i]);
			}
		}
		else {
			if (!(term instanceof OtpErlangMap map)) {
				throw mismatch("a map (for " + type.getSimpleName() + ")", term);
			}
			checkStruct(map, shape.struct);
			for (int i = 0; i < size; i++) {
				OtpErlangObject value = map.get(shape.keys[i]);
				if (value == null) {
					value = map.get(new OtpErlangBinary(shape.names[i].getBytes(StandardCharsets.UTF_8)));
				}
				args[i] = (value != null) ? convertAt(value, shape.types[i], shape.names[i])
						: missing(shape.rawTypes[i], shape.names[i]);
			}
		}
		if (shape.constructor == null) {
			throw new ErlangConversionException("", "cannot create " + type.getSimpleName() + ": " + shape.constructorFailure);
		}
		try {
			return shape.constructor.newInstance(args);
		}
		catch (ReflectiveOperationException ex) {
			throw new ErlangConversionException("", "cannot create " + type.getSimpleName() + ": " + ex);
		}
	}

	private Object toBean(OtpErlangObject term, Class<?> type) {
		if (!(term instanceof OtpErlangMap map)) {
			throw mismatch("a map (for " + type.getSimpleName() + ")", term);
		}
		checkStruct(map, type);
		Object bean;
		try {
			Constructor<?> constructor = type.getDeclaredConstructor();
			constructor.setAccessible(true);
			bean = constructor.newInstance();
		}
		catch (ReflectiveOperationException ex) {
			throw new ErlangConversionException("", "cannot create " + type.getName()
					+ " (it needs a no-argument constructor, or an ErlangTypeConverter bean)");
		}
		try {
			for (PropertyDescriptor property : Introspector.getBeanInfo(type, Object.class).getPropertyDescriptors()) {
				OtpErlangObject value = field(map, property.getName());
				if (value != null && property.getWriteMethod() != null) {
					property.getWriteMethod()
						.invoke(bean, convertAt(value, ResolvableType.forMethodParameter(property.getWriteMethod(), 0),
								property.getName()));
				}
			}
		}
		catch (IntrospectionException | ReflectiveOperationException ex) {
			throw new ErlangConversionException("", "cannot fill " + type.getSimpleName() + ": " + ex);
		}
		return bean;
	}

	private static OtpErlangObject field(OtpErlangMap map, String name) {
		OtpErlangObject value = map.get(new OtpErlangAtom(name));
		return (value != null) ? value : map.get(new OtpErlangBinary(name.getBytes(StandardCharsets.UTF_8)));
	}

	private static Object missing(Class<?> type, String name) {
		if (type.isPrimitive()) {
			throw new ErlangConversionException(name, "missing");
		}
		return (type == Optional.class) ? Optional.empty() : null;
	}

	private Object natural(OtpErlangObject term) {
		if (term instanceof OtpErlangLong number) {
			return number.isLong() ? (Object) number.longValue() : number.bigIntegerValue();
		}
		if (term instanceof OtpErlangDouble number) {
			return number.doubleValue();
		}
		if (term instanceof OtpErlangAtom atom) {
			return switch (atom.atomValue()) {
				case "true" -> Boolean.TRUE;
				case "false" -> Boolean.FALSE;
				case "undefined", "nil" -> null;
				default -> new Atom(atom.atomValue());
			};
		}
		if (term instanceof OtpErlangBinary binary) {
			String text = utf8(binary.binaryValue());
			return (text != null) ? text : binary.binaryValue();
		}
		if (term instanceof OtpErlangString string) {
			String text = string.stringValue();
			if (printable(text)) {
				return text;
			}
			List<Object> codes = new ArrayList<>(text.length());
			text.codePoints().forEach((code) -> codes.add((long) code));
			return codes;
		}
		if (isKeywordList(term)) {
			Map<Object, Object> values = new LinkedHashMap<>();
			mapEntries(term).forEach((key, value) -> values.put(natural(key), natural(value)));
			return values;
		}
		if (term instanceof OtpErlangList list && list.getLastTail() == null) {
			List<Object> values = new ArrayList<>(list.arity());
			for (OtpErlangObject element : list) {
				values.add(natural(element));
			}
			return values;
		}
		if (term instanceof OtpErlangMap map) {
			Map<Object, Object> values = new LinkedHashMap<>();
			for (Map.Entry<OtpErlangObject, OtpErlangObject> entry : map.entrySet()) {
				values.put(natural(entry.getKey()), natural(entry.getValue()));
			}
			return values;
		}
		return term;
	}

	/** As {@code io_lib:printable_unicode_list/1}: text, not a list of small integers. */
	private static boolean printable(String text) {
		return text.codePoints().allMatch((c) -> (c >= 32 && c != 127) || c == '\n' || c == '\r' || c == '\t'
				|| c == '\f' || c == '\b' || c == 11 || c == 27 || c == 7);
	}

	private static String string(OtpErlangObject term) {
		if (term instanceof OtpErlangBinary binary) {
			String text = utf8(binary.binaryValue());
			if (text == null) {
				throw new ErlangConversionException("", "expected a binary or string, got a binary that is not UTF-8");
			}
			return text;
		}
		if (term instanceof OtpErlangString string) {
			return string.stringValue();
		}
		if (term instanceof OtpErlangAtom atom) {
			return atom.atomValue();
		}
		if (term instanceof OtpErlangList list) {
			try {
				return list.stringValue();
			}
			catch (Exception ex) {
				throw mismatch("a binary or string", term);
			}
		}
		throw mismatch("a binary or string", term);
	}

	private static String atom(OtpErlangObject term) {
		if (term instanceof OtpErlangAtom atom) {
			return atom.atomValue();
		}
		throw mismatch("an atom", term);
	}

	private static Object integer(OtpErlangObject term, Class<?> type) {
		if (!(term instanceof OtpErlangLong number)) {
			throw mismatch("an integer", term);
		}
		if (type == BigInteger.class) {
			return number.bigIntegerValue();
		}
		if (!number.isLong()) {
			throw outOfRange(type, term);
		}
		long value = number.longValue();
		if (type == Long.class) {
			return value;
		}
		if (type == Integer.class && value == (int) value) {
			return (int) value;
		}
		if (type == Short.class && value == (short) value) {
			return (short) value;
		}
		if (type == Byte.class && value == (byte) value) {
			return (byte) value;
		}
		if (type == Character.class && value >= 0 && value <= Character.MAX_VALUE) {
			return (char) value;
		}
		throw outOfRange(type, term);
	}

	private static OtpErlangObject[] elements(OtpErlangObject term) {
		if (term instanceof OtpErlangList list && list.getLastTail() == null) {
			return list.elements();
		}
		if (term instanceof OtpErlangString string) {
			String text = string.stringValue();
			return text.codePoints().mapToObj(OtpErlangLong::new).toArray(OtpErlangObject[]::new);
		}
		throw mismatch("a list", term);
	}

	private static String utf8(byte[] bytes) {
		// new String replaces what is not UTF-8 with U+FFFD: without one, the bytes were UTF-8
		String text = new String(bytes, StandardCharsets.UTF_8);
		if (text.indexOf('\uFFFD') < 0) {
			return text;
		}
		try {
			return StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(bytes))
				.toString();
		}
		catch (CharacterCodingException ex) {
			return null;
		}
	}

	private static ErlangConversionException mismatch(String expected, OtpErlangObject term) {
		return new ErlangConversionException("", "expected " + expected + ", got " + describe(term));
	}

	private static ErlangConversionException outOfRange(Class<?> type, OtpErlangObject term) {
		return new ErlangConversionException("", describe(term) + " is out of range for " + type.getSimpleName());
	}

	/** A remote term, printed within 80 characters without printing it whole (a bignum of millions of digits). */
	static String describe(OtpErlangObject term) {
		return BoundedTerms.describe(term, 77);
	}

	private static Class<?> box(Class<?> type) {
		if (!type.isPrimitive()) {
			return type;
		}
		return switch (type.getName()) {
			case "int" -> Integer.class;
			case "long" -> Long.class;
			case "short" -> Short.class;
			case "byte" -> Byte.class;
			case "char" -> Character.class;
			case "double" -> Double.class;
			case "float" -> Float.class;
			case "boolean" -> Boolean.class;
			default -> Void.class;
		};
	}

}
