resource "aws_lambda_function" "lambda-function" {
  function_name = "${var.function-name}-function"
  memory_size   = var.memory-size
}
