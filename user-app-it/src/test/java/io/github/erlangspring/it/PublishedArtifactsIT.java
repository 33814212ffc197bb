package io.github.erlangspring.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What Maven Central and the users of a released artifact expect of every published module: a
 * module is published unless its POM sets {@code maven.deploy.skip}. Runs after every module was
 * packaged, so it also checks their sources and javadoc jars.
 */
class PublishedArtifactsIT {

	private static final Path ROOT = Path.of(System.getProperty("project.root", "..")).toAbsolutePath().normalize();

	@Test
	void theRootCarriesLicenseNoticeAndReleaseSettings() throws Exception {
		assertThat(ROOT.resolve("LICENSE")).content().contains("Apache License", "Version 2.0, January 2004");
		assertThat(ROOT.resolve("NOTICE")).content().contains("Apache License, Version 2.0", "Erlang/OTP");
		Element root = pom(ROOT).getDocumentElement();
		for (String field : List.of("name", "description", "url")) {
			assertThat(text(root, field)).as(field).isNotBlank();
		}
		assertThat(text(child(child(root, "licenses"), "license"), "name")).contains("Apache License");
		assertThat(text(child(child(root, "developers"), "developer"), "name")).isNotBlank();
		Element scm = child(root, "scm");
		assertThat(List.of(text(scm, "connection"), text(scm, "developerConnection"), text(scm, "url")))
			.allSatisfy((value) -> assertThat(value).isNotBlank());
		assertThat(text(child(root, "properties"), "project.build.outputTimestamp"))
			.as("reproducible builds need project.build.outputTimestamp")
			.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
		Element release = null;
		for (Element profile : children(child(root, "profiles"), "profile")) {
			if ("release".equals(text(profile, "id"))) {
				release = profile;
			}
		}
		assertThat(release).as("a release profile").isNotNull();
		List<String> plugins = new ArrayList<>();
		for (Element plugin : children(child(child(release, "build"), "plugins"), "plugin")) {
			plugins.add(text(plugin, "artifactId"));
		}
		assertThat(plugins).contains("maven-gpg-plugin", "central-publishing-maven-plugin");
	}

	@Test
	void everyPublishedModuleHasItsMetadataSourcesAndJavadoc() throws Exception {
		Element root = pom(ROOT).getDocumentElement();
		String version = text(root, "version");
		List<String> published = new ArrayList<>();
		for (Element module : children(child(root, "modules"), "module")) {
			Path dir = ROOT.resolve(module.getTextContent().trim());
			Element pom = pom(dir).getDocumentElement();
			Element properties = child(pom, "properties");
			if (properties != null && "true".equals(text(properties, "maven.deploy.skip"))) {
				continue;
			}
			String artifactId = text(pom, "artifactId");
			published.add(artifactId);
			assertThat(text(pom, "name")).as(artifactId + ": name").isNotBlank();
			assertThat(text(pom, "description")).as(artifactId + ": description").isNotBlank();
			for (String inherited : List.of("url", "licenses", "scm", "developers")) {
				assertThat(child(pom, inherited)).as(artifactId + " must inherit " + inherited + ", not replace it")
					.isNull();
			}
			assertThat(text(child(pom, "parent"), "artifactId")).isEqualTo(text(root, "artifactId"));
			String packaging = text(pom, "packaging");
			if (packaging == null || packaging.equals("jar")) {
				Path target = dir.resolve("target");
				for (String suffix : List.of(".jar", "-sources.jar", "-javadoc.jar")) {
					Path jar = target.resolve(artifactId + "-" + version + suffix);
					assertThat(jar).as("%s (run mvn verify from the root)", jar).isRegularFile();
					try (JarFile file = new JarFile(jar.toFile())) {
						assertThat(file.stream().filter((entry) -> !entry.isDirectory()).count())
							.as(jar + " has content")
							.isGreaterThan(2);
						if (suffix.equals(".jar")) {
							assertThat(file.getEntry("META-INF/LICENSE")).as(jar + ": META-INF/LICENSE").isNotNull();
							assertThat(file.getEntry("META-INF/NOTICE")).as(jar + ": META-INF/NOTICE").isNotNull();
						}
					}
				}
			}
		}
		assertThat(published).contains("jinterface", "erlang-spring-boot-autoconfigure", "erlang-spring-boot-starter",
				"erlang-spring-boot-test-support");
	}

	@Test
	void theRepublishedJinterfaceNamesTheOtpReleaseItCameFrom() throws IOException {
		Path jar;
		try (var files = Files.list(ROOT.resolve("jinterface/target"))) {
			jar = files.filter((file) -> file.getFileName().toString().matches("jinterface-[^-]+(-SNAPSHOT)?\\.jar"))
				.findFirst()
				.orElseThrow();
		}
		try (JarFile file = new JarFile(jar.toFile())) {
			String notice = new String(file.getInputStream(file.getEntry("META-INF/NOTICE")).readAllBytes());
			assertThat(notice).containsPattern("version \\d+\\.\\d+(\\.\\d+)*, as shipped with Erlang/OTP \\d+")
				.contains("Ericsson AB", "Apache License, Version 2.0");
			assertThat(file.getEntry("com/ericsson/otp/erlang/OtpErlangObject.class")).isNotNull();
		}
	}

	private static Document pom(Path dir) throws Exception {
		return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(dir.resolve("pom.xml").toFile());
	}

	private static Element child(Element parent, String name) {
		if (parent == null) {
			return null;
		}
		for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
			if (node instanceof Element element && element.getTagName().equals(name)) {
				return element;
			}
		}
		return null;
	}

	private static List<Element> children(Element parent, String name) {
		List<Element> result = new ArrayList<>();
		if (parent != null) {
			NodeList nodes = parent.getChildNodes();
			for (int i = 0; i < nodes.getLength(); i++) {
				if (nodes.item(i) instanceof Element element && element.getTagName().equals(name)) {
					result.add(element);
				}
			}
		}
		return result;
	}

	private static String text(Element parent, String name) {
		Element element = child(parent, name);
		return (element != null) ? element.getTextContent().trim() : null;
	}

}
