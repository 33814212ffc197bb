%% Top supervisor of spring_bridge: one server, which owns the function registry and the state
%% tables.
-module(spring_bridge_sup).
-behaviour(supervisor).

-export([start_link/0, init/1]).

start_link() ->
    supervisor:start_link({local, ?MODULE}, ?MODULE, []).

init([]) ->
    Server = #{id => spring_bridge_server,
               start => {spring_bridge_server, start_link, []},
               restart => permanent,
               shutdown => 5000,
               type => worker,
               modules => [spring_bridge_server]},
    {ok, {#{strategy => one_for_one, intensity => 5, period => 10}, [Server]}}.
