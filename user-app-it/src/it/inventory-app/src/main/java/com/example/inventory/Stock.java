package com.example.inventory;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.github.erlangspring.annotation.ErlangRpc;

import org.springframework.stereotype.Component;

/** rpc:call(Node, inventory, reserve, [<<"sku-1">>, 2]) and inventory:level/1. */
@Component
@ErlangRpc(module = "inventory")
public class Stock {

	private final Map<String, Long> levels = new ConcurrentHashMap<>(Map.of("sku-1", 10L));

	@ErlangRpc
	public long reserve(String sku, long quantity) {
		return this.levels.merge(sku, -quantity, Long::sum);
	}

	@ErlangRpc
	public long level(String sku) {
		return this.levels.getOrDefault(sku, 0L);
	}

}
