using System.Reflection;

namespace CleanCognito.Infrastructure.Configuration;

/// <summary>One numeric or boolean setting: its key, its type and, for numbers, its accepted range.</summary>
public sealed record TypedSetting(string Section, PropertyInfo Property)
{
    public string Key => $"{Section}:{Property.Name}";

    public Type Type => Nullable.GetUnderlyingType(Property.PropertyType) ?? Property.PropertyType;

    public SettingRangeAttribute? Range => Property.GetCustomAttribute<SettingRangeAttribute>();

    public bool IsWholeNumber => Type == typeof(int) || Type == typeof(long);
}
