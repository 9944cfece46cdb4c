output "function_name" {
  value = module.lambda-function.function-name
}

output "alias_name" {
  # BROKEN: var.stage is not declared; module.lambda-function has no output alias-name.
  value = "${var.stage}-${module.lambda-function.alias-name}"
}
