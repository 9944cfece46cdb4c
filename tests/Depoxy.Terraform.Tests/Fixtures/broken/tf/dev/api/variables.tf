# BROKEN: no type, no description.
variable "lambda-function-version" {}
