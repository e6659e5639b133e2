namespace CleanCognito.Infrastructure.Configuration;

/// <summary>
/// The accepted range of a numeric setting: the one place both checks read it from, the type check
/// before binding (<see cref="SettingTypes"/>) and the options validators after it.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class SettingRangeAttribute(double minimum, double maximum) : Attribute
{
    public double Minimum { get; } = minimum;

    public double Maximum { get; } = maximum;
}
