variable "function-name" {
  type        = string
  description = "Base name of the function"
}

variable "memory-size" {
  type        = number
  description = "Memory in MB"
  default     = 1024
}
