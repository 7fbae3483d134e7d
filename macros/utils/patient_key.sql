{#- SQL string: the pseudonymous patient_key of a person id expression, an MD5 hash of the person id salted with
    var('patient_key_salt') (default: env var EQUITY_QI_PATIENT_KEY_SALT, else 'equity-qi'). Discovery's person id
    is already pseudonymous; the salted hash keeps it out of every public mart, and a deployment that sets its own
    salt gives keys that cannot be linked to another deployment's. -#}
{% macro patient_key(person_id) -%}
    {%- set salt = var('patient_key_salt', env_var('EQUITY_QI_PATIENT_KEY_SALT', 'equity-qi')) | string -%}
    {{ dbt.hash(dbt.concat(["'" ~ (salt | replace("'", "''")) ~ ":'", "cast(" ~ person_id ~ " as " ~ dbt.type_string() ~ ")"])) }}
{%- endmacro %}
