%% Erlang side of the engine's end-to-end tests.
-module(esb_test).
-behaviour(gen_server).

-export([start_collector/1, await/3, start_server/1, raise/2, add/2, echo/1, sleep/1,
         monitor_and_wait/2, link_and_wait/1, spawn_linked_waiter/1, await_exit/2,
         take_all/1, start_node_watcher/1, sleep_then_send/3, park/1,
         capture_log/1, await_log/3]).
-export([log/2]).
-export([init/1, handle_call/3, handle_cast/2, handle_info/2]).

%% A registered process that keeps what it receives until a test asks for it.
start_collector(Name) ->
    Parent = self(),
    Pid = spawn(fun() -> register(Name, self()), Parent ! {registered, self()}, collect([], undefined) end),
    receive {registered, Pid} -> Pid end.

collect(Msgs, Waiter) ->
    receive
        {'$esb_await', From, N} -> deliver(Msgs, {From, N});
        {'$esb_all', From} -> From ! {'$esb_msgs', Msgs}, collect([], Waiter);
        Msg -> deliver(Msgs ++ [Msg], Waiter)
    end.

deliver(Msgs, {From, N}) when length(Msgs) >= N ->
    {Taken, Rest} = lists:split(N, Msgs),
    From ! {'$esb_msgs', Taken},
    collect(Rest, undefined);
deliver(Msgs, Waiter) ->
    collect(Msgs, Waiter).

%% The next N messages the collector got, waiting up to Timeout ms.
await(Name, N, Timeout) ->
    whereis(Name) ! {'$esb_await', self(), N},
    receive {'$esb_msgs', Msgs} -> Msgs after Timeout -> {timeout, Name} end.

%% Every message the collector holds right now.
take_all(Name) ->
    whereis(Name) ! {'$esb_all', self()},
    receive {'$esb_msgs', Msgs} -> Msgs after 5000 -> {timeout, Name} end.

%% Starts a collector Name that gets {log, Text} for every event logged on this node, through a
%% logger handler of the same name (logger:remove_handler(Name) ends it).
capture_log(Name) ->
    start_collector(Name),
    ok = logger:add_handler(Name, ?MODULE, #{config => #{to => Name}}).

%% The logger handler callback of capture_log/1.
log(#{msg := Msg}, #{config := #{to := To}}) ->
    Text = case Msg of
               {report, Report} -> io_lib:format("~tp", [Report]);
               {string, String} -> String;
               {Format, Args} -> io_lib:format(Format, Args)
           end,
    To ! {log, unicode:characters_to_binary(Text)}.

%% The first event captured by capture_log(Name) whose text contains every one of Patterns, waiting
%% up to Timeout ms; timeout if none.
await_log(Name, Patterns, Timeout) ->
    await_log_until(Name, Patterns, erlang:monotonic_time(millisecond) + Timeout).

await_log_until(Name, Patterns, Deadline) ->
    case await(Name, 1, max(0, Deadline - erlang:monotonic_time(millisecond))) of
        [{log, Text}] ->
            case lists:all(fun(P) -> string:find(Text, P) =/= nomatch end, Patterns) of
                true -> Text;
                false -> await_log_until(Name, Patterns, Deadline)
            end;
        {timeout, _} ->
            timeout
    end.

%% A collector that records {nodeup | nodedown, Node, Info} for every kind of node.
start_node_watcher(Name) ->
    Parent = self(),
    Pid = spawn(fun() ->
                        register(Name, self()),
                        ok = net_kernel:monitor_nodes(true, [{node_type, all}]),
                        Parent ! {registered, self()},
                        collect([], undefined)
                end),
    receive {registered, Pid} -> Pid end.

start_server(Name) ->
    {ok, Pid} = gen_server:start({local, Name}, ?MODULE, [], []),
    Pid.

init([]) -> {ok, 0}.

handle_call({echo, X}, _From, N) -> {reply, X, N + 1};
handle_call({sleep, Ms}, _From, N) -> timer:sleep(Ms), {reply, slept, N};
handle_call(count, _From, N) -> {reply, N, N};
handle_call(crash, _From, _N) -> exit(crashed);
handle_call(stop, _From, N) -> {stop, normal, stopped, N}.

handle_cast({notify, Pid, Msg}, N) -> Pid ! Msg, {noreply, N};
handle_cast(_, N) -> {noreply, N}.

handle_info(_, N) -> {noreply, N}.

raise(error, Reason) -> erlang:error(Reason);
raise(exit, Reason) -> exit(Reason);
raise(throw, Term) -> throw(Term).

add(A, B) -> A + B.
echo(X) -> X.
sleep(Ms) -> timer:sleep(Ms), slept.
sleep_then_send(Ms, Dest, Msg) -> timer:sleep(Ms), Dest ! Msg, done.

%% Registers the calling process as Name and returns Result once sent {release, Result}.
park(Name) -> register(Name, self()), receive {release, Result} -> Result end.

%% Monitors Target and returns the 'DOWN' reason (or timeout).
monitor_and_wait(Target, Timeout) ->
    Ref = erlang:monitor(process, Target),
    receive {'DOWN', Ref, process, _, Reason} -> Reason after Timeout -> timeout end.

%% Links to Pid while trapping exits and returns the exit reason it sees.
link_and_wait(Pid) ->
    process_flag(trap_exit, true),
    link(Pid),
    receive {'EXIT', Pid, Reason} -> Reason after 10000 -> timeout end.

%% A registered process that traps exits, links to nothing yet, and records exit messages.
spawn_linked_waiter(Name) ->
    Parent = self(),
    Pid = spawn(fun() ->
                        process_flag(trap_exit, true),
                        register(Name, self()),
                        Parent ! {registered, self()},
                        collect([], undefined)
                end),
    receive {registered, Pid} -> Pid end.

await_exit(Name, Timeout) -> await(Name, 1, Timeout).
