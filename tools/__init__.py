"""Developer tooling run by the CLI, outside the product's request path.

`collections`: the Postman and Insomnia collections generated from the OpenAPI document.
"""
