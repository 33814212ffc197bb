package com.example.inventory;

import io.github.erlangspring.annotation.ErlangProcess;
import io.github.erlangspring.annotation.HandleCall;

import org.springframework.stereotype.Component;

/** gen_server:call({tally, Node}, incr). */
@Component
@ErlangProcess("tally")
public class Tally {

	private long count;

	@HandleCall("incr")
	public long incr() {
		return ++this.count;
	}

}
