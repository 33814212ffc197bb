package io.github.erlangspring.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The sample application: a Spring Boot web application that is a node of an Erlang cluster
 * (started by {@code ./run-demo} as {@code sample@127.0.0.1}).
 */
@SpringBootApplication
public class SampleApplication {

	public static void main(String[] args) {
		SpringApplication.run(SampleApplication.class, args);
	}

}
