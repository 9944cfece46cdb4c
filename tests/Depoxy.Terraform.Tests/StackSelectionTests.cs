namespace Depoxy.Terraform.Tests;

public sealed class StackSelectionTests
{
    [Fact]
    public void No_stack_means_api_www_app_in_that_order()
    {
        Assert.Equal(["dev/api", "dev/www", "dev/app"], TerraformStack.Select("dev", null).Select(s => s.ToString()));
    }

    [Fact]
    public void A_named_stack_is_the_only_one()
    {
        var stack = Assert.Single(TerraformStack.Select("prod", "App"));
        Assert.Equal(("prod", "app", "prod/app/terraform.tfstate"), (stack.Stage, stack.Name, stack.StateKey));
    }

    [Theory]
    [InlineData("staging", "api", "Unknown stage 'staging'")]
    [InlineData("dev", "db", "Unknown stack 'db'")]
    public void Unknown_names_are_refused_with_the_valid_ones(string stage, string stack, string message)
    {
        var e = Assert.Throws<TerraformException>(() => TerraformStack.Select(stage, stack));

        Assert.StartsWith(message, e.Message);
    }

    [Fact]
    public void Sensitive_outputs_are_handed_to_the_masker_and_non_strings_kept_as_json()
    {
        var masked = new List<string>();
        var outputs = StackOutputs.Parse(new TerraformStack("dev", "www"), """
            {"bucket_name":{"sensitive":false,"type":"string","value":"depoxy-dev-www"},
             "token":{"sensitive":true,"type":"string","value":"s3cr3t-value"},
             "aliases":{"sensitive":false,"type":["list","string"],"value":["a.example","b.example"]}}
            """, masked.Add);

        Assert.Equal(["s3cr3t-value"], masked);
        Assert.Equal("""["a.example","b.example"]""", outputs.Values["aliases"]);
        var e = Assert.Throws<TerraformException>(() => outputs.Site());
        Assert.Contains("no output 'distribution_id'", e.Message);
    }
}
