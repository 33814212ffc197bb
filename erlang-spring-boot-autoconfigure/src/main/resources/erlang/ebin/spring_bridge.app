{application, spring_bridge,
 [{description, "Erlang side of erlang-spring-boot: registered functions, web hooks, shared ETS and Mnesia state"},
  {vsn, "0.1.0"},
  {modules, [spring_bridge, spring_bridge_app, spring_bridge_sup, spring_bridge_server,
             spring_bridge_state, spring_bridge_mnesia]},
  {registered, [spring_bridge_sup, spring_bridge_server]},
  {applications, [kernel, stdlib]},
  {mod, {spring_bridge_app, []}},
  %% purge_interval: milliseconds between sweeps that delete expired state objects (reads never
  %% return expired objects; the sweep only frees their memory)
  {env, [{purge_interval, 1000}]}]}.
