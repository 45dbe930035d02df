"""marshmallow schemas: the shape and types of what comes in and goes out."""
