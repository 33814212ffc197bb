%% The spring_bridge application: starts spring_bridge_sup.
-module(spring_bridge_app).
-behaviour(application).

-export([start/2, stop/1]).

start(_Type, _Args) ->
    spring_bridge_sup:start_link().

stop(_State) ->
    ok.
