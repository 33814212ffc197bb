%% spring_bridge: the Erlang side of erlang-spring-boot.
%%
%% Functions registered here by name can be called by Spring applications
%% (ErlangOperations.callFunction("add", 1, 2)), by their web hooks (erlang.hooks.*), and by any
%% Erlang code (spring_bridge:call(add, [1, 2])). A name is an atom, a binary or a string; it is
%% kept as a binary, so add, <<"add">> and "add" are the same function. The registry is an ETS
%% table owned by spring_bridge_server, so a function stays registered after the process that
%% registered it has exited.
%%
%% It also creates the ETS tables of the Spring state backend "ets" (see spring_bridge_state).
%%
%% Trace context: a Spring application that traces (Micrometer Tracing) calls registered
%% functions with call/3, passing the W3C propagation fields of its span
%% (#{<<"traceparent">> => ...}). The function reads them with trace_context/0, and a call back
%% into Java with call_java/4 sends them on, so the Java side continues the same trace.
%%
%% Start it as an application (application:ensure_all_started(spring_bridge), or start/0). The
%% Spring starter loads and starts it on erlang.default-peer and erlang.state.node by itself.
-module(spring_bridge).

-export([start/0, stop/0, version/0]).
-export([register_function/2, register_function/3, register_function/4, unregister_function/1,
         registered_functions/0, call/2, call/3, cast/2, cast/3]).
-export([trace_context/0, call_java/4]).
-export([ensure_table/1, delete_table/1, tables/0]).

-define(SERVER, spring_bridge_server).
-define(FUNCTIONS, spring_bridge_functions).

-define(TRACE_CONTEXT, '$spring_bridge_trace_context').

-type name() :: atom() | binary() | string().
-type trace_context() :: #{binary() => binary()}.
-export_type([name/0, trace_context/0]).

%% @doc Starts the application and what it needs.
-spec start() -> {ok, [atom()]} | {error, term()}.
start() ->
    application:ensure_all_started(spring_bridge).

-spec stop() -> ok | {error, term()}.
stop() ->
    application:stop(spring_bridge).

%% @doc The protocol version the Java side checks.
-spec version() -> pos_integer().
version() ->
    2.

%% @doc Registers Fun under Name, replacing any function of that name. Callers pass the
%% arguments as a list, so a fun of arity N is called with N arguments.
-spec register_function(name(), function()) -> ok.
register_function(Name, Fun) when is_function(Fun) ->
    store(name(Name), Fun);
register_function(Name, Fun) ->
    error({invalid_function, Fun}, [Name, Fun]).

%% @doc Registers Module:Function under Name (any arity: the caller's argument count picks it).
-spec register_function(name(), module(), atom()) -> ok.
register_function(Name, Module, Function) when is_atom(Module), is_atom(Function) ->
    store(name(Name), {Module, Function});
register_function(Name, Module, Function) ->
    error({invalid_function, {Module, Function}}, [Name, Module, Function]).

%% @doc Registers Module:Function on another node (for example a Java node's @ErlangRpc
%% function) under Name: calls go there with erpc.
-spec register_function(name(), node(), module(), atom()) -> ok.
register_function(Name, Node, Module, Function) when is_atom(Node), is_atom(Module), is_atom(Function) ->
    store(name(Name), {Node, Module, Function});
register_function(Name, Node, Module, Function) ->
    error({invalid_function, {Node, Module, Function}}, [Name, Node, Module, Function]).

%% @doc Removes a function; returns whether it was registered.
-spec unregister_function(name()) -> boolean().
unregister_function(Name) ->
    gen_server:call(?SERVER, {unregister, name(Name)}).

%% @doc The registered names, sorted.
-spec registered_functions() -> [binary()].
registered_functions() ->
    lists:sort([Name || {Name, _} <- ets:tab2list(functions_table())]).

%% @doc Calls the function registered as Name with Args. Raises
%% error({spring_bridge, unknown_function, Name}) when there is none; whatever the function raises
%% reaches the caller unchanged.
-spec call(name(), [term()]) -> term().
call(Name0, Args) when is_list(Args) ->
    Name = name(Name0),
    case ets:lookup(functions_table(), Name) of
        [{_, Fun}] when is_function(Fun) -> apply(Fun, Args);
        [{_, {Module, Function}}] -> apply(Module, Function, Args);
        [{_, {Node, Module, Function}}] -> erpc:call(Node, Module, Function, Args);
        [] -> error({spring_bridge, unknown_function, Name}, [Name0, Args])
    end;
call(Name, Args) ->
    error({invalid_arguments, Args}, [Name, Args]).

%% @doc call/2 with the caller's trace context in force: the function reads it with
%% trace_context/0, and call_java/4 passes it on.
-spec call(name(), [term()], trace_context()) -> term().
call(Name, Args, Context) when is_map(Context) ->
    with_trace_context(Context, fun() -> call(Name, Args) end);
call(Name, Args, Context) ->
    error({invalid_trace_context, Context}, [Name, Args, Context]).

%% @doc cast/2 with the caller's trace context in force.
-spec cast(name(), [term()], trace_context()) -> ok.
cast(Name, Args, Context) when is_map(Context) ->
    with_trace_context(Context, fun() -> cast(Name, Args) end);
cast(Name, Args, Context) ->
    error({invalid_trace_context, Context}, [Name, Args, Context]).

%% @doc The trace context of the Java call this process is serving (#{} when there is none).
-spec trace_context() -> trace_context().
trace_context() ->
    case get(?TRACE_CONTEXT) of
        undefined -> #{};
        Context -> Context
    end.

%% @doc erpc:call(Node, Module, Function, Args) into a Java node, sending the current trace
%% context (trace_context/0) so that the Java side continues the trace.
-spec call_java(node(), atom(), atom(), [term()]) -> term().
call_java(Node, Module, Function, Args) when is_atom(Node), is_atom(Module), is_atom(Function), is_list(Args) ->
    erpc:call(Node, spring_trace, call, [trace_context(), Module, Function, Args]).

with_trace_context(Context, Fun) ->
    Previous = put(?TRACE_CONTEXT, Context),
    try
        Fun()
    after
        case Previous of
            undefined -> erase(?TRACE_CONTEXT);
            _ -> put(?TRACE_CONTEXT, Previous)
        end
    end.

%% @doc Calls the function registered as Name and ignores the result; a failure is logged.
-spec cast(name(), [term()]) -> ok.
cast(Name, Args) ->
    try call(Name, Args) of
        _ -> ok
    catch
        Class:Reason:Stack ->
            logger:warning("spring_bridge: cast of ~tp failed: ~tp:~tp~n~tp", [Name, Class, Reason, Stack]),
            ok
    end.

%% @doc Creates the named, public ETS table Name for spring_bridge_state unless it exists; it is
%% owned by spring_bridge's server. Fails when a table of that name exists but is someone else's.
-spec ensure_table(atom()) -> ok | {error, term()}.
ensure_table(Name) when is_atom(Name) ->
    gen_server:call(?SERVER, {ensure_table, Name}).

%% @doc Deletes a table made by ensure_table/1; returns whether there was one.
-spec delete_table(atom()) -> boolean().
delete_table(Name) when is_atom(Name) ->
    gen_server:call(?SERVER, {delete_table, Name}).

%% @doc The tables made by ensure_table/1, sorted.
-spec tables() -> [atom()].
tables() ->
    gen_server:call(?SERVER, tables).

store(Name, Target) ->
    gen_server:call(?SERVER, {register, Name, Target}).

name(Name) when is_atom(Name) -> atom_to_binary(Name, utf8);
name(Name) when is_binary(Name), byte_size(Name) > 0 -> Name;
name(Name) when is_list(Name), Name =/= [] ->
    case unicode:characters_to_binary(Name) of
        Bin when is_binary(Bin) -> Bin;
        _ -> error({invalid_name, Name})
    end;
name(Name) -> error({invalid_name, Name}).

functions_table() ->
    case ets:whereis(?FUNCTIONS) of
        undefined -> error({spring_bridge, not_started});
        Table -> Table
    end.
