{#- Converts an integer amount in cents to a decimal amount in dollars. Engines divide integers
    differently (DuckDB gives a fraction, PostgreSQL truncates), so the division dispatches. -#}
{% macro cents_to_dollars(column_name, scale=2) -%}
    {{ return(adapter.dispatch('cents_to_dollars')(column_name, scale)) }}
{%- endmacro %}

{% macro default__cents_to_dollars(column_name, scale) -%}
    cast({{ column_name }} / 100 as decimal(16, {{ scale }}))
{%- endmacro %}

{% macro postgres__cents_to_dollars(column_name, scale) -%}
    cast(cast({{ column_name }} as decimal(16, {{ scale }})) / 100 as decimal(16, {{ scale }}))
{%- endmacro %}
