{#- dbt's cross-database macros, built into Baton. Each dispatches on the target's type: a project
    macro named <type>__<name> or default__<name> wins over these, and a project macro named
    <name> replaces the macro itself. -#}

{% macro dateadd(datepart, interval, from_date_or_timestamp) -%}
    {{ return(adapter.dispatch('dateadd', 'dbt')(datepart, interval, from_date_or_timestamp)) }}
{%- endmacro %}

{% macro default__dateadd(datepart, interval, from_date_or_timestamp) -%}
    cast({{ from_date_or_timestamp }} + ((interval '1 {{ datepart }}') * ({{ interval }})) as timestamp)
{%- endmacro %}

{% macro duckdb__dateadd(datepart, interval, from_date_or_timestamp) -%}
    cast(date_add({{ from_date_or_timestamp }}, interval ({{ interval }}) {{ datepart }}) as timestamp)
{%- endmacro %}

{% macro datediff(first_date, second_date, datepart) -%}
    {{ return(adapter.dispatch('datediff', 'dbt')(first_date, second_date, datepart)) }}
{%- endmacro %}

{% macro default__datediff(first_date, second_date, datepart) -%}
    {%- if datepart == 'week' -%}
    cast(datediff('day', {{ first_date }}, {{ second_date }}) / 7 as bigint)
    {%- else -%}
    datediff('{{ datepart }}', {{ first_date }}, {{ second_date }})
    {%- endif -%}
{%- endmacro %}

{% macro duckdb__datediff(first_date, second_date, datepart) -%}
    {%- if datepart == 'week' -%}
    cast(trunc(date_diff('day', cast({{ first_date }} as timestamp), cast({{ second_date }} as timestamp)) / 7) as bigint)
    {%- else -%}
    date_diff('{{ datepart }}', cast({{ first_date }} as timestamp), cast({{ second_date }} as timestamp))
    {%- endif -%}
{%- endmacro %}

{% macro postgres__datediff(first_date, second_date, datepart) -%}
    {%- set days = "(cast(" ~ second_date ~ " as date) - cast(" ~ first_date ~ " as date))" -%}
    {%- set years = "(date_part('year', cast(" ~ second_date ~ " as date)) - date_part('year', cast(" ~ first_date ~ " as date)))" -%}
    {%- if datepart == 'year' -%}
    cast({{ years }} as bigint)
    {%- elif datepart == 'quarter' -%}
    cast({{ years }} * 4 + date_part('quarter', cast({{ second_date }} as date)) - date_part('quarter', cast({{ first_date }} as date)) as bigint)
    {%- elif datepart == 'month' -%}
    cast({{ years }} * 12 + date_part('month', cast({{ second_date }} as date)) - date_part('month', cast({{ first_date }} as date)) as bigint)
    {%- elif datepart == 'day' -%}
    cast({{ days }} as bigint)
    {%- elif datepart == 'week' -%}
    cast(trunc({{ days }} / 7.0) as bigint)
    {%- elif datepart == 'hour' -%}
    cast({{ days }} * 24 + date_part('hour', cast({{ second_date }} as timestamp)) - date_part('hour', cast({{ first_date }} as timestamp)) as bigint)
    {%- elif datepart == 'minute' -%}
    cast(({{ days }} * 24 + date_part('hour', cast({{ second_date }} as timestamp)) - date_part('hour', cast({{ first_date }} as timestamp))) * 60
        + date_part('minute', cast({{ second_date }} as timestamp)) - date_part('minute', cast({{ first_date }} as timestamp)) as bigint)
    {%- elif datepart == 'second' -%}
    cast(floor(extract(epoch from cast({{ second_date }} as timestamp))) - floor(extract(epoch from cast({{ first_date }} as timestamp))) as bigint)
    {%- else -%}
    {{ exceptions.raise_compiler_error("datediff does not support the date part '" ~ datepart ~ "' on postgres; use year, quarter, month, week, day, hour, minute or second") }}
    {%- endif -%}
{%- endmacro %}

{% macro date_trunc(datepart, date) -%}
    {{ return(adapter.dispatch('date_trunc', 'dbt')(datepart, date)) }}
{%- endmacro %}

{% macro default__date_trunc(datepart, date) -%}
    cast(date_trunc('{{ datepart }}', {{ date }}) as timestamp)
{%- endmacro %}

{% macro safe_cast(field, type) -%}
    {{ return(adapter.dispatch('safe_cast', 'dbt')(field, type)) }}
{%- endmacro %}

{% macro default__safe_cast(field, type) -%}
    cast({{ field }} as {{ type }})
{%- endmacro %}

{% macro duckdb__safe_cast(field, type) -%}
    try_cast({{ field }} as {{ type }})
{%- endmacro %}

{% macro concat(fields) -%}
    {{ return(adapter.dispatch('concat', 'dbt')(fields)) }}
{%- endmacro %}

{% macro default__concat(fields) -%}
    concat({{ fields | join(', ') }})
{%- endmacro %}

{% macro hash(field) -%}
    {{ return(adapter.dispatch('hash', 'dbt')(field)) }}
{%- endmacro %}

{% macro default__hash(field) -%}
    md5(cast({{ field }} as {{ type_string() }}))
{%- endmacro %}

{% macro type_string() -%}
    {{ return(adapter.dispatch('type_string', 'dbt')()) }}
{%- endmacro %}

{% macro default__type_string() -%}
    varchar
{%- endmacro %}

{% macro type_int() -%}
    {{ return(adapter.dispatch('type_int', 'dbt')()) }}
{%- endmacro %}

{% macro default__type_int() -%}
    integer
{%- endmacro %}

{% macro type_bigint() -%}
    {{ return(adapter.dispatch('type_bigint', 'dbt')()) }}
{%- endmacro %}

{% macro default__type_bigint() -%}
    bigint
{%- endmacro %}

{% macro type_float() -%}
    {{ return(adapter.dispatch('type_float', 'dbt')()) }}
{%- endmacro %}

{% macro default__type_float() -%}
    double precision
{%- endmacro %}

{% macro duckdb__type_float() -%}
    double
{%- endmacro %}

{% macro type_numeric() -%}
    {{ return(adapter.dispatch('type_numeric', 'dbt')()) }}
{%- endmacro %}

{% macro default__type_numeric() -%}
    numeric(28, 6)
{%- endmacro %}

{% macro type_boolean() -%}
    {{ return(adapter.dispatch('type_boolean', 'dbt')()) }}
{%- endmacro %}

{% macro default__type_boolean() -%}
    boolean
{%- endmacro %}

{% macro type_timestamp() -%}
    {{ return(adapter.dispatch('type_timestamp', 'dbt')()) }}
{%- endmacro %}

{% macro default__type_timestamp() -%}
    timestamp
{%- endmacro %}

{% macro current_timestamp() -%}
    {{ return(adapter.dispatch('current_timestamp', 'dbt')()) }}
{%- endmacro %}

{% macro default__current_timestamp() -%}
    current_timestamp
{%- endmacro %}

{% macro postgres__current_timestamp() -%}
    now()
{%- endmacro %}

{% macro cast_bool_to_text(field) -%}
    {{ return(adapter.dispatch('cast_bool_to_text', 'dbt')(field)) }}
{%- endmacro %}

{% macro default__cast_bool_to_text(field) -%}
    cast({{ field }} as {{ type_string() }})
{%- endmacro %}

{% macro listagg(measure, delimiter_text=none, order_by_clause=none, limit_num=none) -%}
    {%- set delimiter = delimiter_text if delimiter_text is not none else "','" -%}
    {{ return(adapter.dispatch('listagg', 'dbt')(measure, delimiter, order_by_clause, limit_num)) }}
{%- endmacro %}

{% macro default__listagg(measure, delimiter_text, order_by_clause, limit_num) -%}
    {%- if limit_num -%}
    array_to_string((array_agg({{ measure }}{% if order_by_clause %} {{ order_by_clause }}{% endif %}))[1:{{ limit_num }}], {{ delimiter_text }})
    {%- else -%}
    string_agg({{ measure }}, {{ delimiter_text }}{% if order_by_clause %} {{ order_by_clause }}{% endif %})
    {%- endif -%}
{%- endmacro %}

{% macro duckdb__listagg(measure, delimiter_text, order_by_clause, limit_num) -%}
    {%- if limit_num -%}
    array_to_string(list_slice(list({{ measure }}{% if order_by_clause %} {{ order_by_clause }}{% endif %}), 1, {{ limit_num }}), {{ delimiter_text }})
    {%- else -%}
    string_agg({{ measure }}, {{ delimiter_text }}{% if order_by_clause %} {{ order_by_clause }}{% endif %})
    {%- endif -%}
{%- endmacro %}

{#- Spark SQL versions (type: spark targets). -#}

{% macro spark__dateadd(datepart, interval, from_date_or_timestamp) -%}
    cast(timestampadd({{ datepart }}, {{ interval }}, {{ from_date_or_timestamp }}) as timestamp)
{%- endmacro %}

{% macro spark__datediff(first_date, second_date, datepart) -%}
    {#- Counts the boundaries crossed, as DuckDB and PostgreSQL do (Spark's timestampdiff counts whole units). -#}
    {%- set days = "datediff(cast(" ~ second_date ~ " as date), cast(" ~ first_date ~ " as date))" -%}
    {%- set years = "(year(" ~ second_date ~ ") - year(" ~ first_date ~ "))" -%}
    {%- if datepart == 'year' -%}
    cast({{ years }} as bigint)
    {%- elif datepart == 'quarter' -%}
    cast({{ years }} * 4 + quarter({{ second_date }}) - quarter({{ first_date }}) as bigint)
    {%- elif datepart == 'month' -%}
    cast({{ years }} * 12 + month({{ second_date }}) - month({{ first_date }}) as bigint)
    {%- elif datepart == 'day' -%}
    cast({{ days }} as bigint)
    {%- elif datepart == 'week' -%}
    cast({{ days }} div 7 as bigint)
    {%- elif datepart == 'hour' -%}
    cast({{ days }} * 24 + hour(cast({{ second_date }} as timestamp)) - hour(cast({{ first_date }} as timestamp)) as bigint)
    {%- elif datepart == 'minute' -%}
    cast(({{ days }} * 24 + hour(cast({{ second_date }} as timestamp)) - hour(cast({{ first_date }} as timestamp))) * 60
        + minute(cast({{ second_date }} as timestamp)) - minute(cast({{ first_date }} as timestamp)) as bigint)
    {%- else -%}
    timestampdiff({{ datepart }}, cast({{ first_date }} as timestamp), cast({{ second_date }} as timestamp))
    {%- endif -%}
{%- endmacro %}

{% macro spark__safe_cast(field, type) -%}
    try_cast({{ field }} as {{ type }})
{%- endmacro %}

{% macro spark__type_string() -%}
    string
{%- endmacro %}

{% macro spark__type_float() -%}
    double
{%- endmacro %}

{% macro spark__listagg(measure, delimiter_text, order_by_clause, limit_num) -%}
    {%- if limit_num -%}
    array_join(slice(collect_list({{ measure }}), 1, {{ limit_num }}), {{ delimiter_text }})
    {%- else -%}
    array_join(collect_list({{ measure }}), {{ delimiter_text }})
    {%- endif -%}
{%- endmacro %}
